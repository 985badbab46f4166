"""A dossier's dates through pauses and apologies (motcua.dossiers.deadlines), end to end through the
services under a fixed clock."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.core import clock
from motcua.dossiers import deadlines, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import make_office, pdf, submitted

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=VN)


@pytest.fixture
def calendar_office(db, media):
    return make_office(time_unit="calendar_days", processing_time="30", restarts=False)


def _supplement(office, dossier, asked, answered):
    with clock.using(lambda: asked):
        services.request_supplement(dossier, actor=office.specialist, items=["Bản sao rõ nét"])
    services.add_document(
        dossier,
        actor=office.citizen,
        upload=pdf(),
        name="a.pdf",
        document=office.version.documents.get(name="Giấy chứng sinh"),
    )
    with clock.using(lambda: answered):
        services.resubmit(dossier, actor=office.citizen)


def test_a_calendar_day_deadline_never_falls_before_the_resubmission(calendar_office):
    office = calendar_office
    # The case: 30 calendar days from Fri 5 Dec 2025 08:46, paused Mon 5 Jan 2026 10:00,
    # resubmitted Wed 7 Jan 09:00. Before, the due date shown was Tue 6 Jan 17:00, inside the pause.
    with clock.using(lambda: at(2025, 12, 5, 8, 40)):
        dossier = submitted(office)
    with clock.using(lambda: at(2025, 12, 5, 8, 46)):
        services.receive(dossier, actor=office.reception)
    assert dossier.due_at == at(2026, 1, 5, 17, 0)  # 4 Jan is a Sunday

    _supplement(office, dossier, at(2026, 1, 5, 10, 0), at(2026, 1, 7, 9, 0))

    dossier.refresh_from_db()
    assert dossier.due_at >= at(2026, 1, 7, 9, 0)
    assert dossier.due_at == at(2026, 1, 7, 17, 0)
    assert any("7/01/2026" in line or "07/01/2026" in line for line in deadlines.explain(dossier))


def test_an_apologised_appointment_survives_a_later_supplement(office):
    with clock.using(lambda: at(2026, 3, 2, 8, 0)):
        dossier = submitted(office)
        services.receive(dossier, actor=office.reception)
    legal = dossier.due_at  # 3 working days: Thu 5 Mar 08:00
    new_appointment = at(2026, 3, 10, 16, 0)
    with clock.using(lambda: at(2026, 3, 6, 9, 0)):  # overdue
        services.apologize(dossier, actor=office.specialist, reasons="Quá tải", new_due_at=new_appointment)
    assert dossier.due_at == new_appointment

    # A supplement asked on Mon 9 Mar 16:00 and answered on Wed 11 Mar 08:00: the apologised appointment
    # keeps the working time that was left (8 hours: 16:00-17:00 on the 9th, 07:30-16:00 on the 10th)
    # counted again from the resubmission: 7.5 hours on the 11th, then to 08:00 on Thu 12 Mar.
    _supplement(office, dossier, at(2026, 3, 9, 16, 0), at(2026, 3, 11, 8, 0))

    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.apologized
    assert dossier.due_at == at(2026, 3, 12, 8, 0)
    assert dossier.due_at != dossier.original_due_at and dossier.original_due_at > legal
    lines = deadlines.explain(dossier)
    assert any("xin lỗi" in line for line in lines)
