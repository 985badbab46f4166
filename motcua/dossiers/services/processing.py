"""Processing (giải quyết): steps of the internal process, consultations, fees, the result, approval,
stopping and the apology letter."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import IO

from django.utils.translation import gettext as _

from motcua.accounts.constants import AccountKind, Role
from motcua.accounts.models import Membership, User
from motcua.agencies.models import Agency
from motcua.calendar.selectors import compute_due
from motcua.dossiers import documents, notices
from motcua.dossiers.constants import ActionType, AttachmentKind, NoticeForm, PaymentMethod, Status, StepKind
from motcua.dossiers.errors import Conflict, InvalidInput
from motcua.dossiers.models import Attachment, Dossier, Payment, Step
from motcua.dossiers.services.base import (
    Change,
    acting,
    lookup_url,
    required_text,
    stale_is_a_conflict,
    store_generated,
    store_notice,
    store_upload,
)
from motcua.dossiers.uploads import check_upload

# The largest amount of a fee request or a payment (VND): far above any real fee, far below overflow.
MAX_AMOUNT = 10**12
CONSULTATION_DAYS = (Decimal("0.5"), Decimal(60))
# How far ahead an apology's new appointment may be.
MAX_APPOINTMENT_AHEAD = datetime.timedelta(days=366)


def is_processing_step(step: Step, steps: list[Step]) -> bool:
    """A step where the dossier is being processed (status 4): not one of the one-stop unit's."""
    return step.kind == StepKind.PROCESS and step.role != Role.RECEPTION


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, errors={field: [message]})


def _move_to(change: Change, step: Step, to_user: User | None) -> None:
    """Start ``step`` (for ``to_user``, or for its whole unit) and make it the dossier's."""
    row = change.dossier
    if to_user is not None and not (
        to_user.is_active
        and to_user.kind == AccountKind.STAFF
        and Membership.objects.filter(
            user=to_user, agency_id=step.agency_id, role__in=[step.role, Role.LEADER]
        ).exists()
    ):
        raise _invalid("to_user", _("Cán bộ được chọn không có vai trò phù hợp ở bước này."))
    step.assignee = to_user
    step.started_at = change.now
    step.completed_at = None
    step.save(update_fields=["assignee", "started_at", "completed_at"])
    row.current_step = step
    row.holder_agency_id = step.agency_id
    row.holder_user = to_user
    row.status = (
        Status.PROCESSING if is_processing_step(step, change.facts.process_steps) else Status.RECEIVED
    )


def _complete_current(change: Change, actor: User) -> Step | None:
    current = change.facts.current
    if current is not None and current.completed_at is None:
        current.completed_at = change.now
        current.assignee = current.assignee or actor
        current.save(update_fields=["completed_at", "assignee"])
    return current


def _finish(change: Change, actor: User) -> None:
    """Processing is done (status 9): the result goes to the one-stop unit's return step."""
    row, now = change.dossier, change.now
    _complete_current(change, actor)
    back = change.facts.return_step
    if back is not None:
        back.started_at, back.completed_at, back.assignee = now, None, None
        back.save(update_fields=["started_at", "completed_at", "assignee"])
    row.current_step = back
    row.status = Status.READY
    row.finished_at = now
    row.holder_agency = row.receiving_agency
    row.holder_user = None
    # An apology gives a new appointment, not a new deadline: timeliness counts the legal one.
    deadline = row.original_due_at or row.due_at
    change.data["on_time"] = deadline is None or now <= deadline


@stale_is_a_conflict
def forward(
    dossier: Dossier,
    *,
    actor: User,
    to_user: User | None = None,
    note: str = "",
    expected_revision: int | None = None,
) -> Dossier:
    """Finish the current step and pass the dossier to the next one (to a person, or to the unit)."""
    with acting(dossier, actor, ActionType.FORWARD, expected_revision=expected_revision) as change:
        following = change.facts.next_step
        assert following is not None  # rules.HAS_NEXT_STEP
        change.step = _complete_current(change, actor)
        change.note = (note or "").strip()[:4000]
        _move_to(change, following, to_user)
        change.data["to_step"] = following.order
        if to_user is not None:
            change.data["to_user"] = to_user.pk
    return dossier


@stale_is_a_conflict
def approve(
    dossier: Dossier,
    *,
    actor: User,
    note: str = "",
    to_user: User | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """A leader approves (phê duyệt) at an approval step: the dossier moves to the next processing
    step, or, at the last one, with its result to the one-stop unit, ready (status 9)."""
    with acting(dossier, actor, ActionType.APPROVE, expected_revision=expected_revision) as change:
        following = change.facts.next_step
        change.note = (note or "").strip()[:4000]
        change.data["approved"] = True
        if following is not None:
            change.step = _complete_current(change, actor)
            _move_to(change, following, to_user)
            change.data["to_step"] = following.order
        else:
            change.step = change.facts.current
            _finish(change, actor)
    return dossier


@stale_is_a_conflict
def mark_ready(
    dossier: Dossier, *, actor: User, note: str = "", expected_revision: int | None = None
) -> Dossier:
    """Processing is done and the result is there (status 9) where no leader approval ends it: the
    result goes to the one-stop unit for return."""
    with acting(dossier, actor, ActionType.MARK_READY, expected_revision=expected_revision) as change:
        change.step = change.facts.current
        change.note = (note or "").strip()[:4000]
        _finish(change, actor)
    return dossier


@stale_is_a_conflict
def send_back(dossier: Dossier, *, actor: User, note: str, expected_revision: int | None = None) -> Dossier:
    """Return the dossier to the previous step, with a note saying why."""
    with acting(dossier, actor, ActionType.SEND_BACK, expected_revision=expected_revision) as change:
        change.note = required_text(note, "note")
        target = change.facts.previous_step
        assert target is not None  # rules.HAS_PREVIOUS_STEP
        change.step = change.facts.current
        _move_to(change, target, target.assignee)
        change.data["to_step"] = target.order
    return dossier


def _days(value: Decimal | int | str | float) -> Decimal:
    low, high = CONSULTATION_DAYS
    try:
        days = Decimal(str(value))
    except (InvalidOperation, ValueError):
        days = Decimal("NaN")
    if not days.is_finite() or days < low or days > high:
        raise _invalid("days", _("Thời hạn xin ý kiến từ 0,5 đến 60 ngày làm việc."))
    return days


@stale_is_a_conflict
def consult(
    dossier: Dossier,
    *,
    actor: User,
    agency: Agency,
    question: str,
    days: Decimal | int | str = 3,
    expected_revision: int | None = None,
) -> Step:
    """Ask another unit's opinion (xin ý kiến) with its own deadline; the dossier stays where it is."""
    days = _days(days)
    question = required_text(question, "question")
    if not agency.is_active:
        raise _invalid("agency", _("Đơn vị được hỏi ý kiến không còn hoạt động."))
    with acting(dossier, actor, ActionType.CONSULT, expected_revision=expected_revision) as change:
        row = change.dossier
        if agency.pk == row.holder_agency_id:
            raise _invalid("agency", _("Hãy hỏi ý kiến một đơn vị khác với đơn vị đang xử lý."))
        due = compute_due(change.now, days, "working_days", agency=agency.pk)
        current = change.facts.current
        step = Step.objects.create(
            dossier=row,
            order=current.order if current else 0,
            kind=StepKind.CONSULTATION,
            name=_("Xin ý kiến: %(agency)s") % {"agency": agency.name},
            agency=agency,
            role=Role.SPECIALIST,
            started_at=change.now,
            due_at=due.due_at,
            note=question,
        )
        row.status = Status.PROCESSING
        change.note = question
        change.data.update(consultation=step.pk, agency=agency.code, due_at=due.due_at.isoformat())
    return step


def reply_consultation(step: Step, *, actor: User, answer: str, expected_revision: int | None = None) -> Step:
    """The consulted unit answers; the answer joins the dossier's history."""
    answer = required_text(answer, "answer")
    if step.kind != StepKind.CONSULTATION:
        raise _invalid("step", _("Không tìm thấy yêu cầu xin ý kiến."))
    with acting(
        step.dossier_id, actor, ActionType.REPLY_CONSULTATION, expected_revision=expected_revision
    ) as change:
        if step.pk not in {s.pk for s in change.facts.open_consultations}:
            raise Conflict(_("Yêu cầu xin ý kiến này đã được trả lời."))
        locked_step = Step.objects.select_for_update().get(pk=step.pk)
        locked_step.completed_at = change.now
        locked_step.assignee = actor
        locked_step.save(update_fields=["completed_at", "assignee"])
        change.step = locked_step
        change.note = answer
        change.data["consultation"] = locked_step.pk
    step.refresh_from_db()
    return step


def _amount(value: int | str) -> int:
    try:
        amount = int(value)
    except (TypeError, ValueError):
        amount = 0
    if amount <= 0 or amount > MAX_AMOUNT:
        raise _invalid("amount", _("Số tiền phải từ 1 đồng đến 1.000 tỷ đồng."))
    return amount


@stale_is_a_conflict
def request_payment(
    dossier: Dossier, *, actor: User, amount: int, note: str = "", expected_revision: int | None = None
) -> Dossier:
    """Ask the applicant to pay the fees (status 6)."""
    amount = _amount(amount)
    with acting(dossier, actor, ActionType.REQUEST_PAYMENT, expected_revision=expected_revision) as change:
        change.dossier.fee_due = amount
        change.note = (note or "").strip()[:4000]
        change.data["amount"] = amount
    return dossier


@stale_is_a_conflict
def record_payment(
    dossier: Dossier,
    *,
    actor: User | None,
    amount: int,
    method: str = PaymentMethod.CASH,
    reference: str = "",
    expected_revision: int | None = None,
) -> Payment:
    """Record a payment made at the counter or by transfer, or (``actor`` None: the system) confirmed
    online by a gateway; processing continues (status 4)."""
    amount = _amount(amount)
    if method not in PaymentMethod.values:
        raise _invalid("method", _("Hình thức thanh toán không hợp lệ."))
    reference = (reference or "").strip()[:100]
    with acting(dossier, actor, ActionType.RECORD_PAYMENT, expected_revision=expected_revision) as change:
        payment = Payment.objects.create(
            dossier=change.dossier, amount=amount, method=method, reference=reference, recorded_by=actor
        )
        change.data.update(amount=amount, method=method, reference=reference)
    return payment


@stale_is_a_conflict
def attach_result(
    dossier: Dossier,
    *,
    actor: User,
    upload: IO[bytes] | None = None,
    name: str = "",
    expected_revision: int | None = None,
) -> Attachment:
    """Attach the result document (uploaded, or generated from the procedure's result); it replaces
    the one attached before."""
    checked = check_upload(upload, name or "ket-qua.pdf") if upload is not None else None
    with acting(dossier, actor, ActionType.ATTACH_RESULT, expected_revision=expected_revision) as change:
        row = change.dossier
        row.attachments.filter(kind=AttachmentKind.RESULT, superseded=False).update(superseded=True)
        if upload is not None and checked is not None:
            attachment = store_upload(row, upload, checked, kind=AttachmentKind.RESULT, actor=actor)
        else:
            code = documents.new_verification_code()
            snapshot = notices.prepare_result(
                row,
                lookup_url=lookup_url(row),
                verify_url=documents.verification_url(code),
                officer_name=getattr(actor, "full_name", "") or "",
                issued_at=change.now,
            )
            attachment = store_generated(
                row,
                kind=AttachmentKind.RESULT,
                name=f"ket-qua-{row.code}.pdf",
                snapshot=snapshot,
                actor=actor,
                verification_code=code,
            )
        change.data["files"] = [attachment.pk]
    return attachment


def has_result(dossier: Dossier) -> bool:
    return dossier.attachments.filter(kind=AttachmentKind.RESULT, superseded=False).exists()


@stale_is_a_conflict
def stop(dossier: Dossier, *, actor: User, reasons: str, expected_revision: int | None = None) -> Dossier:
    """Stop processing (status 8, form 05), allowed only while no result has been issued."""
    reasons = required_text(reasons, "reasons")
    with acting(dossier, actor, ActionType.STOP, expected_revision=expected_revision) as change:
        row = change.dossier
        change.note = reasons
        row.closed_at = change.now
        row.pauses.filter(ended_at__isnull=True).update(ended_at=change.now)
        row.paused_since = None
        row.holder_user = None
        store_notice(change, NoticeForm.STOP, actor, reasons=reasons)
    return dossier


@stale_is_a_conflict
def apologize(
    dossier: Dossier,
    *,
    actor: User,
    reasons: str,
    new_due_at: datetime.datetime,
    expected_revision: int | None = None,
) -> Dossier:
    """An overdue dossier gets an apology letter with a new appointment (form 04), once."""
    reasons = required_text(reasons, "reasons")
    with acting(dossier, actor, ActionType.APOLOGIZE, expected_revision=expected_revision) as change:
        row, now = change.dossier, change.now
        if new_due_at <= now or new_due_at > now + MAX_APPOINTMENT_AHEAD:
            raise _invalid("new_due_at", _("Ngày hẹn mới phải sau thời điểm hiện tại và trong vòng một năm."))
        change.note = reasons
        row.original_due_at = row.original_due_at or row.due_at or now
        store_notice(change, NoticeForm.APOLOGY, actor, reasons=reasons, new_due_at=new_due_at)
        row.apologized = True
        row.due_at = new_due_at
        change.data.update(previous_due_at=row.original_due_at.isoformat(), new_due_at=new_due_at.isoformat())
    return dossier
