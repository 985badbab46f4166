import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import procedure_version
from motcua.catalog.services import activate_due_versions, publish_version, start_draft
from motcua.catalog.tests.factories import BIRTH_CHANNELS, make_procedure
from motcua.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_publishing_makes_the_first_version_current(agency):
    version = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency)

    assert version.is_current
    assert version.status == "published"
    assert version.effective_from == timezone.localdate()
    assert AuditEntry.objects.filter(action="procedure.published").count() == 1


def test_a_new_version_keeps_the_old_one_readable(agency):
    first = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, fee=8000)
    draft = start_draft(first.procedure)
    draft.processing_time = 1
    draft.save()
    draft.fees.update(amount=0)

    publish_version(draft)

    assert procedure_version("1.001193").number == 2
    assert procedure_version("1.001193").base_fee == 0
    old = procedure_version("1.001193", 1)
    assert (old.number, old.is_current, old.base_fee, old.processing_time) == (1, False, 8000, 3)
    assert [d.name for d in old.documents.all()] == [d.name for d in draft.documents.all()]
    assert ProcedureVersion.objects.filter(procedure=first.procedure, is_current=True).count() == 1


def test_the_draft_copies_every_part(agency):
    first = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, fee=8000, channels=BIRTH_CHANNELS)

    draft = start_draft(first.procedure)

    assert draft.pk != first.pk
    assert (draft.number, draft.status, draft.is_current) == (2, "draft", False)
    assert list(draft.agencies.all()) == [agency]
    for part in ("fees", "documents", "form_fields", "steps", "channels"):
        assert getattr(draft, part).count() == getattr(first, part).count() > 0
    assert start_draft(first.procedure) == draft  # one draft at a time


def test_a_future_version_comes_into_force_on_its_date(agency):
    first = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency)
    draft = start_draft(first.procedure)
    draft.name = "Đăng ký khai sinh (sửa đổi)"
    draft.save()
    in_force = timezone.localdate() + datetime.timedelta(days=10)

    publish_version(draft, effective_from=in_force)

    assert procedure_version("1.001193").number == 1
    assert activate_due_versions(in_force - datetime.timedelta(days=1)) == 0
    assert activate_due_versions(in_force) == 1
    assert procedure_version("1.001193").name == "Đăng ký khai sinh (sửa đổi)"
    assert activate_due_versions(in_force) == 0


def test_step_shares_must_add_up_to_one(agency):
    draft = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, publish=False)
    draft.steps.filter(order=3).update(share="0.2")

    with pytest.raises(ValidationError, match="bằng 1"):
        publish_version(draft)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_published_version_cannot_be_published_twice(agency):
    version = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency)

    with pytest.raises(ValidationError, match="đã được công bố"):
        publish_version(version)


def test_the_database_allows_one_current_version_only(agency):
    first = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency)
    draft = start_draft(first.procedure)

    with pytest.raises(IntegrityError), transaction.atomic():
        ProcedureVersion.objects.filter(pk=draft.pk).update(is_current=True)


def test_an_invalid_procedure_code_is_refused(agency):
    with pytest.raises(ValidationError, match=r"1\.001193"):
        make_procedure("1001193", "Đăng ký khai sinh", agency=agency)
