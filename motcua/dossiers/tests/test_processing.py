import datetime

import pytest
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.constants import ActionType, AttachmentKind, Status
from motcua.dossiers.errors import InvalidInput, NotAllowed, WrongState
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import pdf, received


def test_the_whole_process_to_the_returned_result(office, django_capture_on_commit_callbacks):
    dossier = received(office)

    services.forward(dossier, actor=office.specialist, note="Hồ sơ hợp lệ")
    assert dossier.status == Status.PROCESSING and dossier.current_step.role == "leader"
    with pytest.raises(WrongState, match="kết quả"):
        services.approve(dossier, actor=office.leader)  # the last approval needs the result
    with pytest.raises(WrongState, match="phê duyệt"):
        services.mark_ready(dossier, actor=office.leader)  # at an approval step, approval ends it
    with django_capture_on_commit_callbacks(execute=True):  # the render task runs after the commit
        result = services.attach_result(dossier, actor=office.leader)
    result.refresh_from_db()
    assert result.kind == AttachmentKind.RESULT and result.file.read(4) == b"%PDF"
    services.approve(dossier, actor=office.leader, note="Đồng ý")
    # Approved at the last step: ready (9), back at the one-stop unit for return.
    assert dossier.status == Status.READY and dossier.holder_agency == office.agency
    assert dossier.current_step is None and dossier.finished_at is not None
    services.return_result(dossier, actor=office.reception)

    assert dossier.status == Status.RETURNED and dossier.national_status == "done"
    assert [a.type for a in dossier.actions.order_by("id")] == [
        ActionType.SUBMIT,
        ActionType.RECEIVE,
        ActionType.FORWARD,
        ActionType.ATTACH_RESULT,
        ActionType.APPROVE,
        ActionType.RETURN_RESULT,
    ]
    assert [a.status_after for a in dossier.actions.order_by("id")] == [1, 4, 4, 4, 9, 10]
    assert dossier.steps.filter(completed_at__isnull=True).count() == 0
    assert dossier.actions.get(type=ActionType.APPROVE).data["on_time"] is True


def test_forward_to_a_named_officer_and_send_back(office):
    dossier = received(office)

    services.forward(dossier, actor=office.specialist, to_user=office.leader)
    assert dossier.holder_user == office.leader
    services.send_back(dossier, actor=office.leader, note="Bổ sung ý kiến thẩm định")

    assert dossier.current_step.role == "specialist"
    with pytest.raises(WrongState, match="bước trước"):
        services.send_back(dossier, actor=office.specialist, note="Không có bước trước")
    services.forward(dossier, actor=office.specialist)
    with pytest.raises(InvalidInput):
        services.send_back(dossier, actor=office.leader, note="")
    services.send_back(dossier, actor=office.leader, note="Xem lại")
    with pytest.raises(InvalidInput):
        services.forward(dossier, actor=office.specialist, to_user=office.citizen)


def test_only_the_holding_unit_acts(office):
    dossier = received(office)

    for intruder in (office.outsider, office.citizen, office.reception):
        with pytest.raises(NotAllowed):
            services.forward(dossier, actor=intruder)
    with pytest.raises(NotAllowed):
        services.approve(dossier, actor=office.specialist)  # approval is a leader's


def test_a_supplement_during_processing_stops_the_clock_and_restarts_it(office):
    dossier = received(office)
    due_before = dossier.due_at
    services.request_supplement(dossier, actor=office.specialist, items=["Bản sao giấy chứng sinh rõ nét"])
    assert dossier.status == Status.SUPPLEMENT and dossier.paused_since is not None
    assert dossier.pauses.get().ended_at is None

    services.add_document(
        dossier,
        actor=office.citizen,
        upload=pdf(),
        name="chung-sinh.pdf",
        document=office.version.documents.get(name="Giấy chứng sinh"),
    )
    services.resubmit(dossier, actor=office.citizen)

    assert dossier.status == Status.PROCESSING and dossier.paused_since is None
    assert dossier.pauses.get().ended_at is not None
    assert dossier.actions.get(type=ActionType.SUPPLEMENT).data["clock"] == "restarted"
    assert dossier.due_at >= due_before


def test_resuming_keeps_the_time_already_used(office):
    office.version.supplement_restarts_clock = False
    office.version.save()
    dossier = received(office)
    start = dossier.received_at
    # The supplement was asked two hours after reception and answered the next day.
    Dossier.objects.filter(pk=dossier.pk).update(received_at=start - datetime.timedelta(days=2))
    services.request_supplement(dossier, actor=office.specialist, items=["Tờ khai"])
    services.resubmit(dossier, actor=office.citizen)

    assert dossier.actions.get(type=ActionType.SUPPLEMENT).data["clock"] == "resumed"
    assert dossier.counted_from <= start


def test_consultation_has_its_own_deadline_and_answer(office):
    dossier = received(office)
    officer = office.outsider  # specialist and leader at the other ward

    step = services.consult(
        dossier,
        actor=office.specialist,
        agency=office.other_agency,
        question="Xác nhận nơi cư trú của người mẹ",
        days=2,
    )
    assert step.kind == "consultation" and step.due_at is not None and step.completed_at is None
    with pytest.raises(NotAllowed):
        services.reply_consultation(step, actor=office.citizen, answer="x")
    services.reply_consultation(step, actor=officer, answer="Đã xác minh: thường trú tại phường Nông Tiến")

    step.refresh_from_db()
    assert step.completed_at is not None
    assert dossier.actions.filter(type=ActionType.REPLY_CONSULTATION).count() == 1
    assert dossier.status == Status.PROCESSING and dossier.holder_agency == office.agency  # it stays here


def test_payment_requested_then_recorded(office):
    dossier = received(office)

    services.request_payment(dossier, actor=office.specialist, amount=8000)
    assert dossier.status == Status.PAYMENT and dossier.national_status == "paying"
    with pytest.raises(InvalidInput):
        services.record_payment(dossier, actor=office.reception, amount=0)
    payment = services.record_payment(dossier, actor=office.reception, amount=8000, reference="BL-0001")

    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and payment.amount == 8000


def test_stop_only_while_no_result_exists(office):
    first = received(office)
    services.stop(first, actor=office.leader, reasons="Người nộp không đủ điều kiện")
    assert first.status == Status.STOPPED and first.attachments.filter(notice_form="05").exists()

    second = received(office)
    services.forward(second, actor=office.specialist)
    services.attach_result(second, actor=office.leader)
    with pytest.raises(WrongState, match="kết quả"):
        services.stop(second, actor=office.leader, reasons="Muộn rồi")


def test_an_apology_once_and_only_when_overdue(office):
    dossier = received(office)
    new_due = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(WrongState, match="chưa quá hạn"):
        services.apologize(dossier, actor=office.specialist, reasons="Cần xác minh", new_due_at=new_due)

    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    dossier.refresh_from_db()
    services.apologize(dossier, actor=office.specialist, reasons="Cần xác minh thêm", new_due_at=new_due)

    assert dossier.apologized and dossier.due_at == new_due
    assert dossier.attachments.filter(notice_form="04").exists()
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(WrongState, match=r"một lần|once"):
        services.apologize(dossier, actor=office.specialist, reasons="Lần nữa", new_due_at=new_due)


def test_the_history_is_append_only(office):
    dossier = received(office)
    action = dossier.actions.first()

    with pytest.raises(ValueError, match="append-only"):
        action.save()


def test_overdue_is_computed_from_the_due_date(office):
    dossier = received(office)
    assert not dossier.is_overdue()
    assert dossier.is_overdue(now=dossier.due_at + datetime.timedelta(seconds=1))


def test_acting_on_an_old_reading_says_someone_else_acted(office):
    """The second officer read the dossier before the first one acted: whatever the dossier has
    become since, they are told to reload (not that the step is no longer theirs)."""
    from motcua.accounts.constants import Role
    from motcua.accounts.services import grant_role
    from motcua.accounts.tests.factories import StaffFactory
    from motcua.dossiers.errors import Conflict

    dossier = received(office)
    seen = dossier.revision
    second = StaffFactory()
    grant_role(second, office.agency, Role.SPECIALIST)
    services.forward(Dossier.objects.get(pk=dossier.pk), actor=office.specialist, expected_revision=seen)

    with pytest.raises(Conflict, match="người khác"):
        services.forward(Dossier.objects.get(pk=dossier.pk), actor=second, expected_revision=seen)
    with pytest.raises(NotAllowed):  # without a revision, the step's rule answers
        services.forward(Dossier.objects.get(pk=dossier.pk), actor=second)
    assert Dossier.objects.get(pk=dossier.pk).actions.filter(type=ActionType.FORWARD).count() == 1
