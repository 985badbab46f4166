"""The one-stop unit (bộ phận một cửa): receive, ask for a supplement, refuse, return the result."""

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.constants import Role
from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.dossiers import codes, deadlines, delivery
from motcua.dossiers.constants import ActionType, NoticeForm, ResultDelivery, Status, StepKind
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Dossier, Step
from motcua.dossiers.services.base import Change, acting, required_text, stale_is_a_conflict, store_notice
from motcua.dossiers.services.processing import is_processing_step


def _deciding_agency(dossier: Dossier) -> Agency:
    steps = list(dossier.procedure_version.steps.select_related("agency"))
    for step in reversed(steps):
        if step.agency is not None:
            return step.agency
    return dossier.receiving_agency


def _create_steps(change: Change, officer: User) -> list[Step]:
    dossier, now = change.dossier, change.now
    steps = []
    for i, process_step in enumerate(dossier.procedure_version.steps.all(), start=1):
        step = Step(
            dossier=dossier,
            order=i,
            name=process_step.name,
            agency=process_step.agency or dossier.receiving_agency,
            role=process_step.role,
            share=process_step.share,
        )
        if i == 1 and process_step.role == Role.RECEPTION:
            # Reception itself is the first step, done now by the officer who received.
            step.assignee, step.started_at, step.completed_at = officer, now, now
        steps.append(step)
    Step.objects.bulk_create(steps)
    created = list(dossier.steps.filter(kind=StepKind.PROCESS).order_by("order"))
    first_open = next((s for s in created if s.completed_at is None), None)
    if first_open is not None:
        first_open.started_at = now
        first_open.save(update_fields=["started_at"])
    return created


@stale_is_a_conflict
def receive(
    dossier: Dossier, *, actor: User, note: str = "", expected_revision: int | None = None
) -> Dossier:
    """Receive a complete dossier: compute its due date, issue the receipt (form 01) and pass it to
    the first processing step, where it is in processing (status 4; 2 while no step has it)."""
    with acting(dossier, actor, ActionType.RECEIVE, expected_revision=expected_revision) as change:
        row, now = change.dossier, change.now
        if not row.code:  # submitted before codes were given at submission
            row.code = codes.next_code(row.receiving_agency, timezone.localdate(now))
        row.received_at = now
        row.deciding_agency = _deciding_agency(row)
        steps = _create_steps(change, actor)
        deadlines.schedule(row, start=now)
        current = next((s for s in steps if s.completed_at is None), None)
        row.current_step = current
        row.holder_agency = current.agency if current else row.receiving_agency
        row.holder_user = current.assignee if current else None
        row.status = (
            Status.PROCESSING
            if current is not None and is_processing_step(current, steps)
            else Status.RECEIVED
        )
        change.note = (note or "").strip()[:4000]
        change.step = steps[0] if steps else None
        change.data.update(code=row.code, due_at=row.due_at.isoformat() if row.due_at else None)
        store_notice(change, NoticeForm.RECEIPT, actor)
    return dossier


@stale_is_a_conflict
def request_supplement(
    dossier: Dossier, *, actor: User, items: list[str], note: str = "", expected_revision: int | None = None
) -> Dossier:
    """Ask for everything missing at once (form 02). Before reception the dossier waits for the
    applicant; during processing the clock stops until the applicant resubmits."""
    items = [i.strip()[:500] for i in items if i and i.strip()]
    if not items:
        raise InvalidInput(
            _("Liệt kê các giấy tờ, nội dung cần bổ sung."), errors={"items": [_("Bắt buộc.")]}
        )
    with acting(dossier, actor, ActionType.REQUEST_SUPPLEMENT, expected_revision=expected_revision) as change:
        row = change.dossier
        if row.received_at is not None:
            deadlines.pause(row, at=change.now, reason=_("Yêu cầu bổ sung hồ sơ"))
        change.note = (note or "").strip()[:4000]
        change.data["items"] = items
        store_notice(change, NoticeForm.SUPPLEMENT, actor, items=items, reasons=change.note)
    return dossier


@stale_is_a_conflict
def refuse(dossier: Dossier, *, actor: User, reasons: str, expected_revision: int | None = None) -> Dossier:
    """Refuse the dossier at reception (status 3) with the reasons (form 03)."""
    with acting(dossier, actor, ActionType.REFUSE, expected_revision=expected_revision) as change:
        change.note = required_text(reasons, "reasons")
        change.dossier.closed_at = change.now
        store_notice(change, NoticeForm.REFUSAL, actor, reasons=change.note)
    return dossier


@stale_is_a_conflict
def return_result(
    dossier: Dossier,
    *,
    actor: User,
    note: str = "",
    tracking_number: str = "",
    expected_revision: int | None = None,
) -> Dossier:
    """Hand the result to the applicant (status 10), the way they chose (motcua.dossiers.delivery):
    at the counter, online (the signed result stays in their account), or by post, for which the
    officer gives the parcel's tracking number (số hiệu bưu gửi), recorded on the dossier, in the
    history and in the audit log, and shown to the applicant."""
    with acting(dossier, actor, ActionType.RETURN_RESULT, expected_revision=expected_revision) as change:
        row = change.dossier
        tracking = (tracking_number or "").strip()
        if row.result_delivery == ResultDelivery.POST:
            try:
                tracking = delivery.clean_tracking_number(tracking)
            except ValueError as exc:
                raise InvalidInput(str(exc), errors={delivery.TRACKING: [str(exc)]}) from None
            row.postal_tracking_number = tracking
            change.data["tracking_number"] = tracking
            change.audit["tracking_number"] = tracking
        elif tracking:
            message = _("Hồ sơ không nhận kết quả qua bưu chính: không ghi số hiệu bưu gửi.")
            raise InvalidInput(message, errors={delivery.TRACKING: [message]})
        change.data["result_delivery"] = row.result_delivery
        change.audit["result_delivery"] = row.result_delivery
        if row.current_step_id is not None:
            Step.objects.filter(pk=row.current_step_id, completed_at__isnull=True).update(
                completed_at=change.now, assignee=actor
            )
        change.step = row.current_step
        row.current_step = None
        row.returned_at = change.now
        row.closed_at = change.now
        change.note = (note or "").strip()[:4000]
    return dossier
