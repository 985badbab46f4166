"""The catalogue refreshed from the stand-in portal's national catalogue: what changed per procedure,
published as a new version by whom the rule table allows."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from motcua.accounts.constants import Role
from motcua.accounts.services import grant_role
from motcua.accounts.tests.factories import StaffFactory
from motcua.catalog.constants import VersionStatus
from motcua.catalog.models import Procedure
from motcua.catalog.services import check_publishable, start_draft
from motcua.core.models import AuditEntry
from motcua.dossiers.tests.factories import procedure_without_approval
from motcua.integrations.national import catalogue
from motcua.integrations.national.client import NationalPortalClient


@pytest.fixture
def admin(office):
    user = StaffFactory(full_name="Quản trị phường")
    grant_role(user, office.agency, Role.AGENCY_ADMIN)
    return user


def test_the_portal_serves_its_province_procedures_in_its_shape(national_portal):
    client = NationalPortalClient.from_settings()

    listed = {p["MATTHC"]: p for p in client.procedures()}
    detail = client.procedure("1.001193")

    assert set(listed) == {"1.001193", "2.000528"}  # the ministry-level one is not a province's
    assert listed["2.000528"]["TENLINHVUC"] == "Chứng thực"
    assert detail["TENTTHC"] == "Thủ tục đăng ký khai sinh"
    assert detail["LINHVUCTHUCHIEN"] == [{"MALINHVUC": "HO_TICH", "TENLINHVUC": "Hộ tịch"}]
    assert detail["CACHTHUCTHUCHIEN"][0]["KENH"] == 2
    assert detail["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["THOIGIANGIAIQUYET"] == 1.0
    assert client.procedure("9.999999") is None


def test_what_changed_new_and_removed_per_procedure(office, national_portal, admin):
    procedure_without_approval(office)  # 1.000001: the portal does not publish it
    province_admin = StaffFactory()
    grant_role(province_admin, office.agency, Role.PROVINCE_ADMIN)

    refresh = catalogue.compare(province_admin)

    (entry,) = refresh.changed
    assert entry.code == "1.001193" and not entry.has_draft
    changes = {c.name: c for c in entry.changes}
    assert "name" not in changes  # "Thủ tục đăng ký khai sinh" is our "Đăng ký khai sinh"
    assert changes["processing_time"].ours == "3 ngày làm việc"
    assert changes["processing_time"].theirs == "1 ngày làm việc"
    assert changes["legal_basis"].theirs == "Luật Hộ tịch số 60/2014/QH13"
    assert "conditions" not in changes  # the portal says nothing: no change
    assert [v.procedure.code for v in refresh.removed] == ["1.000001"]
    assert [p["MATTHC"] for p in refresh.new] == ["2.000528"] and refresh.new_total == 1
    # An agency administrator sees the procedures of their agency, and no "new" ones.
    mine = catalogue.compare(admin)
    assert [e.code for e in mine.changed] == ["1.001193"] and mine.new == []


def test_publishing_the_chosen_changes_makes_a_new_current_version(office, national_portal, admin):
    procedure = office.version.procedure

    version = catalogue.publish(procedure, fields=["processing_time", "legal_basis"], actor=admin)

    assert version.number == 2 and version.is_current and version.status == VersionStatus.PUBLISHED
    assert version.processing_time == Decimal("1") and version.time_unit == "working_days"
    assert version.legal_basis == "Luật Hộ tịch số 60/2014/QH13"
    assert version.name == office.version.name  # not chosen: kept
    assert list(version.steps.values_list("name", flat=True)) == list(
        office.version.steps.values_list("name", flat=True)
    )
    office.version.refresh_from_db()
    assert not office.version.is_current
    remaining = {c.name for c in catalogue.compare(admin).changed[0].changes}
    assert "processing_time" not in remaining and "legal_basis" not in remaining


def test_publishing_is_refused_to_others_with_a_draft_under_way_or_nothing_chosen(
    office, national_portal, admin
):
    procedure = office.version.procedure

    with pytest.raises(PermissionDenied):
        catalogue.publish(procedure, fields=["legal_basis"], actor=office.reception)
    with pytest.raises(ValidationError, match="Chọn ít nhất một thay đổi"):
        catalogue.publish(procedure, fields=["name"], actor=admin)  # the name did not change
    start_draft(procedure, actor=admin)
    with pytest.raises(ValidationError, match="bản nháp"):
        catalogue.publish(procedure, fields=["legal_basis"], actor=admin)
    assert procedure.versions.count() == 2  # the first and the draft: nothing published


def test_the_staff_page_shows_the_changes_and_publishes(office, national_portal, admin):
    client = Client()
    client.force_login(admin)

    page = client.get("/can-bo/danh-muc-cong-quoc-gia/").content.decode()
    answer = client.post(
        "/can-bo/danh-muc-cong-quoc-gia/",
        {"procedure": "1.001193", "fields": ["processing_time"]},
        follow=True,
    )
    refused = Client()
    refused.force_login(office.reception)

    assert "Thời hạn giải quyết" in page and "1 ngày làm việc" in page and "3 ngày làm việc" in page
    assert "Đã công bố" in answer.content.decode()
    assert office.version.procedure.versions.get(is_current=True).processing_time == Decimal("1")
    assert refused.get("/can-bo/danh-muc-cong-quoc-gia/").status_code == 403


@pytest.fixture
def province_admin(office):
    user = StaffFactory(full_name="Quản trị tỉnh")
    grant_role(user, office.agency, Role.PROVINCE_ADMIN)
    return user


def test_a_new_national_procedure_is_imported_as_a_draft_to_complete(office, national_portal, province_admin):
    imported = catalogue.import_new(["2.000528", "1.001193", "9.999999"], actor=province_admin)

    (draft,) = imported.drafts
    assert imported.refused == {
        "1.001193": "Thủ tục đã có trong danh mục của tỉnh.",
        "9.999999": "Cổng Dịch vụ công quốc gia không công bố thủ tục này.",
    }
    assert (draft.procedure.code, draft.status, draft.is_current) == ("2.000528", VersionStatus.DRAFT, False)
    assert draft.name == "Chứng thực bản sao từ bản chính" and draft.field.name == "Chứng thực"
    assert (draft.level, draft.mode) == ("commune", "partial")  # the first level a province handles
    assert (draft.processing_time, draft.time_unit) == (Decimal("1"), "calendar_days")
    assert draft.result == "Bản sao được chứng thực" and "23/2015/NĐ-CP" in draft.legal_basis
    assert [d.name for d in draft.documents.all()] == ["Bản chính giấy tờ; bản sao cần chứng thực."]
    assert [(c.channel, c.fee_text) for c in draft.channels.all()] == [("counter", "2.000 đồng/trang")]
    # Not offered to applicants until an administrator completes and publishes it.
    problems = check_publishable(draft)
    assert "Chưa chọn cơ quan thực hiện." in problems and "Chưa có quy trình nội bộ." in problems
    assert AuditEntry.objects.filter(
        action="integrations.catalogue_imported", object_id=str(draft.pk)
    ).exists()
    # Imported once: asked again, it is in the catalogue.
    again = catalogue.import_new(["2.000528"], actor=province_admin)
    assert again.drafts == [] and set(again.refused) == {"2.000528"}


def test_only_a_province_administrator_imports(office, national_portal, admin):
    with pytest.raises(PermissionDenied):
        catalogue.import_new(["2.000528"], actor=admin)
    assert not Procedure.objects.filter(code="2.000528").exists()


def test_the_staff_page_imports_the_chosen_new_procedures(office, national_portal, province_admin):
    client = Client()
    client.force_login(province_admin)

    page = client.get("/can-bo/danh-muc-cong-quoc-gia/").content.decode()
    nothing = client.post("/can-bo/danh-muc-cong-quoc-gia/", {"import": "1"}, follow=True).content.decode()
    answer = client.post(
        "/can-bo/danh-muc-cong-quoc-gia/", {"import": "1", "codes": ["2.000528"]}, follow=True
    ).content.decode()

    assert 'name="codes" value="2.000528"' in page and "Nhập làm bản nháp" in page
    assert "Chọn ít nhất một thủ tục để nhập." in nothing
    assert "Đã nhập 1 thủ tục làm bản nháp (2.000528)" in answer
    assert Procedure.objects.get(code="2.000528").versions.get().status == VersionStatus.DRAFT
    # Now in the catalogue, no longer "new".
    assert 'value="2.000528"' not in answer
