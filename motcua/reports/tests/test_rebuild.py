"""The aggregates kept as actions happen (the dossier_changed receiver) equal the aggregates rebuilt
from scratch (manage.py rebuild_reports)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import pdf, received, submitted
from motcua.reports import facts, selectors
from motcua.reports.constants import MEASURES
from motcua.reports.models import DayFigures, DossierFacts, MonthFigures, OpenFigures
from motcua.reports.periods import Period
from motcua.reports.units import unit_from_key


def snapshot() -> dict[str, object]:
    """Every fact row and every non-zero sum, comparable."""
    fact_fields = [f.attname for f in DossierFacts._meta.concrete_fields]
    day = {
        (r.agency_id, r.day, r.procedure_id, r.field_id): tuple(getattr(r, m) for m in MEASURES)
        for r in DayFigures.objects.all()
        if any(getattr(r, m) for m in MEASURES)
    }
    month = {
        (r.agency_id, r.month, r.procedure_id, r.field_id): tuple(getattr(r, m) for m in MEASURES)
        for r in MonthFigures.objects.all()
        if any(getattr(r, m) for m in MEASURES)
    }
    rows = {f.pk: tuple(getattr(f, name) for name in fact_fields) for f in DossierFacts.objects.all()}
    opens = {
        (r.agency_id, r.procedure_id, r.field_id, r.due_day, r.counts_overdue): r.n
        for r in OpenFigures.objects.all()
        if r.n
    }
    return {"facts": rows, "days": day, "months": month, "open": opens}


def work(office) -> list[Dossier]:
    """Dossiers taken through every kind of action by the real services."""
    done = received(office)
    services.forward(done, actor=office.specialist)
    services.attach_result(done, actor=office.leader)
    services.approve(done, actor=office.leader)
    services.return_result(done, actor=office.reception)

    stopped = received(office)
    services.request_supplement(stopped, actor=office.specialist, items=["Giấy chứng sinh"])
    services.resubmit(stopped, actor=office.citizen)
    services.stop(stopped, actor=office.leader, reasons="Không đủ điều kiện")

    refused = submitted(office)
    services.refuse(refused, actor=office.reception, reasons="Không thuộc thẩm quyền")

    paid = received(office)
    step = services.consult(
        paid, actor=office.specialist, agency=office.other_agency, question="Xác minh", days=2
    )
    services.reply_consultation(step, actor=office.outsider, answer="Đã xác minh")
    services.request_payment(paid, actor=office.specialist, amount=8000)
    services.record_payment(paid, actor=office.reception, amount=8000, reference="BL-1")

    withdrawn = submitted(office)
    services.withdraw(withdrawn, actor=office.citizen, reason="Nộp nhầm")

    late = received(office)
    Dossier.objects.filter(pk=late.pk).update(due_at=timezone.now() - datetime.timedelta(hours=2))
    late.refresh_from_db()
    services.forward(late, actor=office.specialist)  # its event brings the facts up to date

    counter = services.intake_at_counter(
        actor=office.reception,
        agency=office.agency,
        version=office.version,
        applicant={"name": "Lê Thị Hoa", "identity": "008190004321", "phone": "0912345678"},
        form_data={
            "child_name": "Lê Minh Anh",
            "birth_date": "2026-10-20",
            "sex": "Nữ",
            "parent_id": "008190004321",
        },
        scans=[(d, f"{d.pk}.pdf", pdf()) for d in office.version.documents.filter(required=True)],
    )
    draft = services.start_dossier(version=office.version, applicant=office.citizen, another=True)
    return [done, stopped, refused, paid, withdrawn, late, counter, draft]


def test_incremental_and_rebuilt_aggregates_agree(office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossiers = work(office)
    incremental = snapshot()

    out = io.StringIO()
    call_command("rebuild_reports", stdout=out)
    rebuilt = snapshot()

    assert "7 dossiers" in out.getvalue()  # the draft has no facts
    assert set(incremental["facts"]) == {d.pk for d in dossiers[:-1]}
    assert incremental == rebuilt
    # And the figures say what happened.
    today = timezone.localdate()
    figures = {
        f.code: f for f in selectors.indicators(unit_from_key(office.agency.code), Period(today, today))
    }
    assert figures["received"].value == 5  # refused and withdrawn never were; the draft is not submitted
    assert figures["received_counter"].value == 1
    assert figures["done"].value == 1 and figures["done_on_time"].value == 1
    assert (figures["refused"].value, figures["withdrawn"].value, figures["stopped"].value) == (1, 1, 1)
    assert figures["supplement_requests"].value == 1
    assert figures["in_progress"].value == 3  # paid, late, counter
    assert figures["overdue_now"].value == 1
    assert figures["returned"].value == 1 and figures["results_electronic"].value == 1


def test_a_second_event_for_the_same_change_counts_nothing_twice(office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = received(office)
    before = snapshot()
    facts.refresh([dossier.pk])
    facts.refresh([dossier.pk, dossier.pk])
    assert snapshot() == before


def test_a_dossier_gone_takes_its_contributions_with_it(office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = received(office)
    assert DossierFacts.objects.filter(pk=dossier.pk).exists()
    Dossier.objects.filter(pk=dossier.pk).delete()
    facts.refresh([dossier.pk])
    assert not DossierFacts.objects.exists()
    assert all(not any(getattr(r, m) for m in MEASURES) for r in DayFigures.objects.all())


@pytest.mark.django_db
def test_rebuild_of_nothing():
    out = io.StringIO()
    call_command("rebuild_reports", stdout=out)
    assert "0 dossiers" in out.getvalue()
