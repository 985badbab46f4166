"""The process control slip (form 06) read from a real history: every hand-over, who gave and who took
the dossier, and whether each unit handed it over in time."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from motcua.dossiers import control_slip, notices, services
from motcua.dossiers.control_slip import EARLY, LATE, ON_TIME
from motcua.dossiers.models import Dossier, Step
from motcua.dossiers.tests.factories import received
from motcua.dossiers.tests.test_notices import document_text

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_timeliness_compares_with_the_deadline_day():
    due = datetime.datetime(2026, 3, 26, 15, 30, tzinfo=VN)
    assert control_slip.timeliness(due - datetime.timedelta(days=1), due) == EARLY
    assert control_slip.timeliness(due.replace(hour=8), due) == ON_TIME
    assert control_slip.timeliness(due, due) == ON_TIME
    assert control_slip.timeliness(due + datetime.timedelta(minutes=1), due) == LATE
    # 23:30 UTC on the 25th is already the 26th in Vietnam: the deadline's day.
    late_evening_utc = datetime.datetime(2026, 3, 25, 23, 30, tzinfo=datetime.UTC)
    assert control_slip.timeliness(late_evening_utc, due) == ON_TIME
    assert control_slip.timeliness(due, None) == ""
    assert control_slip.timeliness(None, due) == ""


def _step(dossier: Dossier, role: str) -> Step:
    return dossier.steps.get(kind="process", role=role)


def _due(step_or_dossier, when: datetime.datetime) -> None:
    type(step_or_dossier).objects.filter(pk=step_or_dossier.pk).update(due_at=when)


def test_the_slip_follows_the_dossier_through_every_unit(office):
    now = timezone.now()
    later, earlier = now + datetime.timedelta(days=30), now - datetime.timedelta(days=30)
    dossier = received(office)
    _due(_step(dossier, "reception"), later)
    question = services.consult(
        dossier, actor=office.specialist, agency=office.other_agency, question="Xác minh?"
    )
    _due(question, earlier)
    services.reply_consultation(question, actor=office.outsider, answer="Đã xác minh")
    services.request_supplement(dossier, actor=office.specialist, items=["Bản sao Giấy khai sinh"])
    services.resubmit(dossier, actor=office.citizen, note="Đã bổ sung")
    _due(_step(dossier, "specialist"), later)
    services.forward(dossier, actor=office.specialist, to_user=office.leader, note="Hồ sơ hợp lệ")
    services.attach_result(dossier, actor=office.leader)
    _due(_step(dossier, "leader"), earlier)
    services.approve(dossier, actor=office.leader)  # at the last step: ready, to the one-stop unit
    _due(dossier, later)
    dossier.refresh_from_db()
    services.return_result(dossier, actor=office.reception)
    dossier.refresh_from_db()

    rows = control_slip.handovers(dossier)

    one_stop = "Bộ phận Một cửa – Ủy ban nhân dân phường Minh Xuân"
    checking = "Ủy ban nhân dân phường Minh Xuân (Thẩm định hồ sơ)"
    approving = "Ủy ban nhân dân phường Minh Xuân (Phê duyệt, ký kết quả)"
    consulted = "Ủy ban nhân dân phường Nông Tiến"
    reception, specialist = office.reception.full_name, office.specialist.full_name
    leader = office.leader.full_name
    assert [(r.giver_unit, r.receiver_unit, r.giver, r.receiver, r.outcome) for r in rows] == [
        (one_stop, checking, reception, specialist, EARLY),
        (checking, consulted, specialist, office.outsider.full_name, ""),  # who answered
        (consulted, checking, office.outsider.full_name, specialist, LATE),
        (checking, control_slip.APPLICANT_UNIT, specialist, dossier.applicant_name, ""),
        (control_slip.APPLICANT_UNIT, checking, dossier.applicant_name, specialist, ""),
        (checking, approving, specialist, leader, EARLY),
        (approving, one_stop, leader, "", LATE),
        (one_stop, control_slip.APPLICANT_UNIT, reception, dossier.applicant_name, EARLY),
    ]
    assert [r.note for r in rows] == [
        "",
        "Xin ý kiến: Xác minh?",
        "Trả lời xin ý kiến: Đã xác minh",
        "Yêu cầu bổ sung: Bản sao Giấy khai sinh",
        "Bổ sung hồ sơ: Đã bổ sung",
        "Hồ sơ hợp lệ",
        "Có kết quả",
        "Trả kết quả",
    ]
    assert rows == sorted(rows, key=lambda r: r.at)

    # The PDF lays out the same rows, printed on demand.
    text = document_text(notices.control_slip_document(dossier))
    assert notices.CONTROL_SLIP_TITLE in text
    assert f"1. Giao: {checking} 2. Nhận: {approving}" in text
    assert "Cơ quan phối hợp giải quyết hồ sơ: Ủy ban nhân dân phường Nông Tiến" in text
    assert notices.render_control_slip(dossier).startswith(b"%PDF")


def test_a_send_back_is_a_handover_without_a_result(office):
    dossier = received(office)
    services.forward(dossier, actor=office.specialist)
    services.send_back(dossier, actor=office.leader, note="Thiếu ý kiến thẩm định")

    last = control_slip.handovers(dossier)[-1]

    assert last.giver_unit == "Ủy ban nhân dân phường Minh Xuân (Phê duyệt, ký kết quả)"
    assert last.receiver_unit == "Ủy ban nhân dân phường Minh Xuân (Thẩm định hồ sơ)"
    assert last.giver == office.leader.full_name
    assert last.outcome == ""
    assert last.note == "Trả lại bước trước: Thiếu ý kiến thẩm định"


def test_nothing_is_handed_over_before_reception(office):
    from motcua.dossiers.tests.factories import submitted

    dossier = submitted(office)
    services.request_supplement(dossier, actor=office.reception, items=["Giấy chứng sinh"])

    assert control_slip.handovers(dossier) == []
