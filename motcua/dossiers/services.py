"""Everything that changes a dossier (Decree 61/2018, Decree 118/2025).

Each action runs in one transaction: it locks the dossier row, checks who acts and that the
dossier is in a state that allows the action (and, when the caller says which revision it saw,
that nobody acted in between), appends an Action to the history, stores the derived status, and
publishes an event that is delivered only after commit. Views, the API, the admin and commands
all call these functions.
"""

import datetime
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.constants import AccountKind, Role
from motcua.accounts.models import Membership, User
from motcua.accounts.validators import validate_citizen_id
from motcua.agencies.models import Agency
from motcua.calendar.selectors import compute_due, step_deadlines
from motcua.catalog.models import ProcedureVersion, RequiredDocument
from motcua.catalog.selectors import version_parts
from motcua.core import audit
from motcua.core.models import AuditEntry
from motcua.core.refcache import TimedCache
from motcua.dossiers import codes, events, notices, selectors
from motcua.dossiers.constants import (
    ActionType,
    AttachmentKind,
    Channel,
    NoticeForm,
    PaymentMethod,
    Status,
    StepKind,
)
from motcua.dossiers.errors import Conflict, InvalidInput, NotAllowed, WrongState
from motcua.dossiers.form_data import clean_form
from motcua.dossiers.models import Action, Attachment, Dossier, OutboxEvent, Pause, Payment, Step
from motcua.dossiers.uploads import check_upload

# ---------------------------------------------------------------------------------------------
# Who may act


def _has_role(user: User, agency_id: int, roles: Iterable[str]) -> bool:
    return Membership.objects.filter(user=user, agency_id=agency_id, role__in=list(roles)).exists()


def _require_staff(user: User, agency_id: int, roles: Iterable[str]) -> None:
    if not user.is_authenticated or user.kind != AccountKind.STAFF or not _has_role(user, agency_id, roles):
        raise NotAllowed(
            _(
                "Ông/bà không có quyền thực hiện việc này tại đơn vị đang giữ hồ sơ "
                "(You may not do this for the unit that holds the dossier)."
            )
        )


def _require_applicant(user: User, dossier: Dossier) -> None:
    if not user.is_authenticated or dossier.applicant_id != user.pk:
        raise NotAllowed(_("Đây không phải hồ sơ của ông/bà (This is not your dossier)."))


def _require_applicant_or_counter(user: User, dossier: Dossier) -> None:
    """The applicant; for a counter dossier (no account) the one-stop officer acts for them."""
    if dossier.applicant_id is None:
        _require_staff(user, dossier.receiving_agency_id, [Role.RECEPTION])
    else:
        _require_applicant(user, dossier)


def _require_step_officer(user: User, dossier: Dossier) -> None:
    """The officer must hold the current step's role (or be a leader) in the agency that holds the dossier."""
    step = dossier.current_step
    roles = {Role.LEADER, step.role} if step else {Role.LEADER, Role.SPECIALIST, Role.RECEPTION}
    _require_staff(user, dossier.holder_agency_id, roles)


# ---------------------------------------------------------------------------------------------
# The transaction around every action


class _Change:
    """What an action records, filled in by the service inside ``_acting``."""

    def __init__(self, dossier: Dossier):
        self.dossier = dossier
        self.note = ""
        self.data: dict[str, Any] = {}
        self.step: Step | None = None
        self.action: Action | None = None


def _stale_is_a_conflict(action: Callable) -> Callable:
    """An officer who acts on a dossier read at an older revision is told someone else acted, before
    any other check runs on that old reading (the action re-checks everything under the lock)."""

    @functools.wraps(action)
    def run(dossier: Dossier, *args: Any, expected_revision: int | None = None, **kwargs: Any) -> Any:
        if expected_revision is not None and dossier.revision != expected_revision:
            raise Conflict(_conflict_message())
        return action(dossier, *args, expected_revision=expected_revision, **kwargs)

    return run


def _conflict_message() -> str:
    return _(
        "Hồ sơ vừa được người khác xử lý; vui lòng tải lại trang "
        "(Someone else has just acted on this dossier; reload and try again)."
    )


@contextmanager
def _acting(
    dossier: Dossier | int,
    actor: User | None,
    action: ActionType,
    allowed: Sequence[Status],
    to_status: Status | None = None,
    *,
    expected_revision: int | None = None,
    check: Callable[[Dossier], None] | None = None,
) -> Iterator[_Change]:
    """Lock the dossier, check its state, let the caller change it, then append the Action.

    ``check`` runs on the locked row: who may act depends on who holds the dossier now, which may
    have changed since the caller read it.
    """
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    with transaction.atomic():
        # No select_related here: after waiting for the lock PostgreSQL re-reads the dossier row but
        # not the joined ones, so the step or holder would be stale. Relations load after the lock.
        locked = Dossier.objects.select_for_update().get(pk=pk)
        if expected_revision is not None and locked.revision != expected_revision:
            raise Conflict(_conflict_message())
        if check is not None:
            check(locked)
        if locked.status not in allowed:
            raise WrongState(
                _(
                    "Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(status)s” "
                    "(Action not allowed in the dossier's current status)."
                )
                % {"action": action.label, "status": locked.status_label}
            )
        change = _Change(locked)
        before = locked.status
        yield change
        if to_status is not None:
            locked.status = to_status
        locked.revision += 1
        locked.save()
        change.action = Action.objects.create(
            dossier=locked,
            actor=actor if actor is not None and actor.is_authenticated else None,
            type=action,
            status_before=before,
            status_after=locked.status,
            step=change.step or locked.current_step,
            agency=locked.holder_agency,
            note=change.note,
            data=change.data,
        )
        Attachment.objects.filter(
            dossier=locked, action__isnull=True, pk__in=change.data.get("files", [])
        ).update(action=change.action)
        audit.record(
            f"dossier.{action.value}", actor=actor, obj=locked, summary=str(locked), status=locked.status
        )
        events.publish(locked.pk, action.value, locked.status, change.data)
    if isinstance(dossier, Dossier):
        dossier.refresh_from_db(from_queryset=selectors.with_related())


def lookup_url(dossier: Dossier) -> str:
    base = getattr(settings, "MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/tra-cuu/{dossier.code or ''}"


def _store_file(
    dossier: Dossier,
    *,
    kind: str,
    name: str,
    content: bytes,
    content_type: str,
    extension: str,
    actor: User | None,
    form: str = "",
    document: RequiredDocument | None = None,
) -> Attachment:
    import hashlib

    attachment = Attachment(
        dossier=dossier,
        kind=kind,
        notice_form=form,
        document=document,
        original_name=name,
        content_type=content_type,
        extension=extension,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def _store_notice(change: _Change, form: NoticeForm, actor: User | None, **context: Any) -> Attachment:
    dossier = change.dossier
    pdf = notices.render_notice(
        form.value,
        dossier,
        lookup_url=lookup_url(dossier),
        officer_name=getattr(actor, "full_name", "") or "",
        **context,
    )
    attachment = _store_file(
        dossier,
        kind=AttachmentKind.NOTICE,
        form=form.value,
        content=pdf,
        name=f"mau-{form.value}-{dossier.code or dossier.public_id}.pdf",
        content_type="application/pdf",
        extension=".pdf",
        actor=actor,
    )
    change.data.setdefault("files", []).append(attachment.pk)
    change.data["notice"] = form.value
    return attachment


# ---------------------------------------------------------------------------------------------
# The applicant: draft, documents, submission


_receiving = TimedCache("receiving agencies by version")


def receiving_agencies(version: ProcedureVersion) -> list[Agency]:
    """Where a dossier of this procedure can be received (one-stop units among its agencies).
    Cached (motcua.core.refcache) for published versions, whose agencies never change."""

    def load() -> tuple[Agency, ...]:
        agencies = version.agencies.filter(is_active=True).order_by("code")
        return tuple(agencies.filter(receives_dossiers=True)) or tuple(agencies)

    if version.is_draft or version.published_at is None:
        return list(load())
    return list(_receiving.get((version.pk, version.published_at), load))


def _new_dossier(
    version: ProcedureVersion,
    applicant: User,
    receiving_agency: Agency | None,
    subject: dict[str, str] | None,
    **fields: Any,
) -> Dossier:
    """An unsaved dossier of ``applicant`` for a procedure in force, received by one of its receiving
    agencies (the first if none is given), with the applicant's and the subject's details."""
    if applicant.kind == AccountKind.STAFF:
        raise NotAllowed(
            _(
                "Tài khoản cán bộ không nộp hồ sơ trực tuyến; hãy dùng tiếp nhận trực tiếp "
                "(Staff accounts enter dossiers through counter intake)."
            )
        )
    if not version.is_current:
        raise WrongState(_("Thủ tục này hiện không áp dụng (This procedure is not in force)."))
    allowed = receiving_agencies(version)
    receiving_agency = receiving_agency or (allowed[0] if allowed else None)
    if receiving_agency is None or receiving_agency not in allowed:
        raise InvalidInput(_("Nơi tiếp nhận không hợp lệ cho thủ tục này (Invalid receiving agency)."))
    subject = subject or {}
    return Dossier(
        procedure_version=version,
        applicant=applicant,
        applicant_name=applicant.full_name or applicant.username,
        applicant_identity=applicant.identity_number or "",
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        receiving_agency=receiving_agency,
        holder_agency=receiving_agency,
        subject_name=subject.get("name", "")[:255],
        subject_identity=subject.get("identity", "")[:14],
        subject_relation=subject.get("relation", "")[:120],
        **fields,
    )


def start_dossier(
    *,
    version: ProcedureVersion,
    applicant: User,
    receiving_agency: Agency | None = None,
    subject: dict[str, str] | None = None,
) -> Dossier:
    """A new draft of ``applicant`` for a published procedure version."""
    dossier = _new_dossier(version, applicant, receiving_agency, subject, fee_due=version.total_fee)
    with transaction.atomic():
        dossier.save()
        audit.record("dossier.draft_created", actor=applicant, obj=dossier, summary=version.name)
    return dossier


def submit_new(
    *,
    version: ProcedureVersion,
    applicant: User,
    form_data: dict[str, Any],
    declaration: bool,
    receiving_agency: Agency | None = None,
    subject: dict[str, str] | None = None,
) -> Dossier:
    """Create and submit a dossier in one go (the API's path when nothing needs uploading).

    Validates once, then writes the dossier, its first action, the audit row and the event together:
    on PostgreSQL in one statement (atomic by itself), elsewhere in one transaction; nothing to lock,
    the row is new. Raises InvalidInput (and saves nothing) when incomplete.
    """
    now = timezone.now()
    dossier = _new_dossier(
        version,
        applicant,
        receiving_agency,
        subject,
        status=Status.SUBMITTED,
        created_at=now,
        submitted_at=now,
        revision=1,
    )
    parts = version_parts(version)
    cleaned, errors = clean_form(version, form_data, partial=False)
    missing = [d for d in parts.documents if d.required]
    if missing:
        errors["documents"] = [_("Thiếu: %(name)s (Missing document).") % {"name": d.name} for d in missing]
    if not declaration:
        errors["declaration"] = [_("Bắt buộc (Required).")]
    if errors:
        raise InvalidInput(_("Hồ sơ chưa đầy đủ (The dossier is incomplete)."), errors=errors)
    dossier.form_data = cleaned
    dossier.fee_due = parts.total_fee
    action = Action(
        dossier=dossier,
        actor=applicant,
        type=ActionType.SUBMIT,
        at=now,
        status_before=Status.DRAFT,
        status_after=Status.SUBMITTED,
        agency=dossier.receiving_agency,
    )
    entry = AuditEntry(
        action=f"dossier.{ActionType.SUBMIT.value}",
        actor=applicant,
        object_type=Dossier._meta.label_lower,
        summary="",
        data={"status": int(Status.SUBMITTED)},
    )
    if connection.vendor == "postgresql":
        # One statement writes every row, so it is atomic by itself: outside a caller's transaction
        # it commits on its own, two round trips fewer than BEGIN ... COMMIT (docs/performance.md).
        event = events.outbox_row(ActionType.SUBMIT.value, dossier.status)
        _insert_submission(dossier, action, entry, event)
        if event is None:
            events.publish(dossier.pk, ActionType.SUBMIT.value, dossier.status)
        return dossier
    with transaction.atomic():
        dossier.save()
        action.save()
        entry.object_id = str(dossier.pk)
        entry.save()
        events.publish(dossier.pk, ActionType.SUBMIT.value, dossier.status)
    return dossier


def _insert_submission(
    dossier: Dossier, action: Action, entry: AuditEntry, event: OutboxEvent | None
) -> None:
    """The dossier, its first action, the audit row and the outbox event (when events go through
    the outbox) in one statement: one round trip instead of four, measured in docs/performance.md.
    Rows are built from the models' own fields; a NULL is written in the statement rather than
    passed, which keeps the parameters under psycopg's 50, the most whose parsed form it caches."""
    rows = (dossier, action, entry) if event is None else (dossier, action, entry, event)
    values = [
        [field.get_db_prep_save(field.pre_save(obj, add=True), connection) for field in fields]
        for obj, fields in zip(rows, _submission_fields(event is not None), strict=True)
    ]
    nulls = tuple(tuple(value is None for value in row) for row in values)
    params = [value for row in values for value in row if value is not None]
    with connection.cursor() as cursor:
        cursor.execute(_submission_statement(nulls), params)
        (dossier.pk,) = cursor.fetchone()
    dossier._state.adding = False
    if event is not None:
        event.dossier_id = dossier.pk


# The rows of _insert_submission: the model, and the column taken from the new dossier's id.
_SUBMISSION_ROWS = (
    (Dossier, ""),
    (Action, "dossier_id"),
    (AuditEntry, "object_id"),
    (OutboxEvent, "dossier_id"),
)


@functools.cache
def _submission_fields(with_event: bool) -> tuple[tuple, ...]:
    """For each row of ``_insert_submission``, the fields whose values it writes."""
    rows = _SUBMISSION_ROWS if with_event else _SUBMISSION_ROWS[:3]
    return tuple(
        tuple(f for f in model._meta.local_concrete_fields if not f.primary_key and f.attname != skip)
        for model, skip in rows
    )


@functools.cache
def _submission_statement(nulls: tuple[tuple[bool, ...], ...]) -> str:
    """The statement of ``_insert_submission`` for rows whose values are NULL where ``nulls`` says,
    built once for each such pattern (a handful)."""
    quote = connection.ops.quote_name
    clauses = []
    for name, (model, from_dossier), fields, row_nulls in zip(
        "daeo", _SUBMISSION_ROWS, _submission_fields(len(nulls) == 4), nulls, strict=False
    ):
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join("NULL" if null else "%s" for null in row_nulls)
        # Table and column names come from the models; every value is a parameter or NULL.
        if not from_dossier:
            clauses.append(f"d AS (INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id)")  # noqa: S608
        else:
            new_id = "d.id::text" if from_dossier == "object_id" else "d.id"
            clauses.append(
                f"{name} AS (INSERT INTO {table} ({quote(from_dossier)}, {columns}) "  # noqa: S608
                f"SELECT {new_id}, {marks} FROM d)"
            )
    return f"WITH {', '.join(clauses)} SELECT id FROM d"  # noqa: S608


def save_draft(
    dossier: Dossier, *, actor: User, form_data: dict[str, Any], subject: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """Keep what the applicant typed (even with errors) and return the errors to show."""
    _require_applicant(actor, dossier)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.status not in (Status.DRAFT, Status.SUPPLEMENT):
            raise WrongState(_("Hồ sơ đã nộp, không sửa được tờ khai (The dossier was submitted)."))
        cleaned, errors = clean_form(locked.procedure_version, form_data, partial=True)
        locked.form_data = cleaned
        locked.revision += 1
        if subject is not None:
            locked.subject_name = subject.get("name", "")[:255]
            locked.subject_identity = subject.get("identity", "")[:14]
            locked.subject_relation = subject.get("relation", "")[:120]
        locked.save()
    dossier.refresh_from_db(from_queryset=selectors.with_related())
    return errors


def add_document(
    dossier: Dossier,
    *,
    actor: User,
    upload: IO[bytes],
    name: str,
    document: RequiredDocument | None = None,
    kind: str = AttachmentKind.APPLICANT,
) -> Attachment:
    """Attach a file, checked by content and size. A new file for a document slot replaces the old one."""
    checked = check_upload(upload, name)
    if document is not None and document.version_id != dossier.procedure_version_id:
        raise InvalidInput(_("Thành phần hồ sơ không thuộc thủ tục này (Document not of this procedure)."))
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if kind == AttachmentKind.APPLICANT:
            _require_applicant(actor, locked)
            if locked.status not in (Status.DRAFT, Status.SUPPLEMENT):
                raise WrongState(
                    _(
                        "Chỉ bổ sung giấy tờ khi hồ sơ là bản nháp hoặc được yêu cầu bổ sung "
                        "(Files can be added to a draft or when a supplement is requested)."
                    )
                )
        elif kind == AttachmentKind.SCAN:
            _require_staff(actor, locked.receiving_agency_id, [Role.RECEPTION])
            if locked.status not in (Status.SUBMITTED, Status.SUPPLEMENT):
                raise WrongState(_("Chỉ quét giấy tờ khi tiếp nhận (Scans are added at reception)."))
        else:
            raise InvalidInput("kind")
        if document is not None:
            locked.attachments.filter(document=document, superseded=False).update(superseded=True)
        upload.seek(0)
        attachment = _store_file(
            locked,
            kind=kind,
            name=checked.name,
            content=upload.read(),
            content_type=checked.content_type,
            extension=checked.extension,
            actor=actor,
            document=document,
        )
        audit.record(
            "dossier.file_added", actor=actor, obj=locked, summary=checked.name, sha256=checked.sha256
        )
    return attachment


def missing_documents(dossier: Dossier) -> list[RequiredDocument]:
    have = set(
        dossier.attachments.filter(superseded=False, document__isnull=False).values_list(
            "document_id", flat=True
        )
    )
    return [d for d in dossier.procedure_version.documents.all() if d.required and d.pk not in have]


def _check_complete(dossier: Dossier) -> dict[str, list[str]]:
    _cleaned, errors = clean_form(dossier.procedure_version, dossier.form_data, partial=False)
    for document in missing_documents(dossier):
        errors.setdefault("documents", []).append(
            _("Thiếu: %(name)s (Missing document).") % {"name": document.name}
        )
    return errors


@_stale_is_a_conflict
def submit(
    dossier: Dossier, *, actor: User, declaration: bool, expected_revision: int | None = None
) -> Dossier:
    """Submit a draft (status 1, Mới đăng ký) once the form and the required documents are complete."""
    _require_applicant(actor, dossier)
    if not declaration:
        raise InvalidInput(
            _("Vui lòng xác nhận lời cam đoan (Please confirm the declaration)."),
            errors={"declaration": [_("Bắt buộc (Required).")]},
        )
    with _acting(
        dossier,
        actor,
        ActionType.SUBMIT,
        [Status.DRAFT],
        Status.SUBMITTED,
        expected_revision=expected_revision,
    ) as change:
        locked = change.dossier
        errors = _check_complete(locked)
        if errors:
            raise InvalidInput(_("Hồ sơ chưa đầy đủ (The dossier is incomplete)."), errors=errors)
        locked.submitted_at = timezone.now()
        locked.holder_agency = locked.receiving_agency
    return dossier


@_stale_is_a_conflict
def resubmit(
    dossier: Dossier, *, actor: User, note: str = "", expected_revision: int | None = None
) -> Dossier:
    """The applicant has added what was asked for. Before reception the dossier goes back to the
    reception queue; during processing the clock resumes (or restarts, per procedure)."""
    _require_applicant_or_counter(actor, dossier)
    with _acting(
        dossier, actor, ActionType.SUPPLEMENT, [Status.SUPPLEMENT], expected_revision=expected_revision
    ) as change:
        locked = change.dossier
        errors = _check_complete(locked)
        if errors:
            raise InvalidInput(_("Hồ sơ chưa đầy đủ (The dossier is incomplete)."), errors=errors)
        change.note = note
        now = timezone.now()
        if locked.received_at is None:
            locked.status = Status.SUBMITTED
            locked.holder_agency = locked.receiving_agency
            locked.submitted_at = now
        else:
            locked.status = Status.PROCESSING
            locked.pauses.filter(ended_at__isnull=True).update(ended_at=now)
            locked.paused_since = None
            restart = locked.procedure_version.supplement_restarts_clock
            change.data["clock"] = "restarted" if restart else "resumed"
            _schedule(locked, start=now if restart else locked.received_at)
    return dossier


@_stale_is_a_conflict
def withdraw(dossier: Dossier, *, actor: User, reason: str, expected_revision: int | None = None) -> Dossier:
    """The applicant withdraws the dossier (status 7) any time before the result is ready."""
    _require_applicant_or_counter(actor, dossier)
    allowed = [Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAYMENT]
    with _acting(
        dossier, actor, ActionType.WITHDRAW, allowed, Status.WITHDRAWN, expected_revision=expected_revision
    ) as change:
        change.note = _required_text(reason, "reason")
        change.dossier.closed_at = timezone.now()
        change.dossier.holder_user = None
    return dossier


def _required_text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(
            _("Vui lòng ghi rõ nội dung (Please write the reason or note)."),
            errors={field: [_("Bắt buộc (Required).")]},
        )
    return value[:4000]


# ---------------------------------------------------------------------------------------------
# Reception (one-stop)


def _deciding_agency(dossier: Dossier) -> Agency:
    steps = list(dossier.procedure_version.steps.select_related("agency"))
    for step in reversed(steps):
        if step.agency is not None:
            return step.agency
    return dossier.receiving_agency


def _schedule(dossier: Dossier, *, start: datetime.datetime) -> None:
    """(Re)compute the dossier's and its open steps' due dates from ``start``, skipping pauses after it."""
    version = dossier.procedure_version
    pauses = selectors.closed_pauses(dossier, start)
    agency = dossier.deciding_agency_id or dossier.receiving_agency_id
    due = compute_due(start, version.processing_time, version.time_unit, agency=agency, pauses=pauses)
    dossier.counted_from = due.counted_from
    dossier.due_at = due.due_at
    if not dossier.apologized:
        dossier.original_due_at = due.due_at
    steps = list(dossier.steps.filter(kind=StepKind.PROCESS).order_by("order"))
    if steps and sum((s.share for s in steps), Decimal(0)) == 1:
        deadlines = step_deadlines(
            start,
            version.processing_time,
            version.time_unit,
            [s.share for s in steps],
            agency=agency,
            pauses=pauses,
        )
        for step, deadline in zip(steps, deadlines, strict=True):
            if step.completed_at is None:
                step.due_at = deadline.due_at
                step.save(update_fields=["due_at"])


@_stale_is_a_conflict
def receive(
    dossier: Dossier, *, actor: User, note: str = "", expected_revision: int | None = None
) -> Dossier:
    """Receive a complete dossier: give it its code, compute its due date, issue the receipt (form 01)
    and pass it to the first processing step."""
    _require_staff(actor, dossier.receiving_agency_id, [Role.RECEPTION])
    with _acting(
        dossier,
        actor,
        ActionType.RECEIVE,
        [Status.SUBMITTED],
        Status.RECEIVED,
        expected_revision=expected_revision,
    ) as change:
        locked = change.dossier
        missing = missing_documents(locked)
        if missing:
            raise InvalidInput(
                _(
                    "Hồ sơ còn thiếu giấy tờ; hãy yêu cầu bổ sung "
                    "(Documents are missing: request a supplement)."
                ),
                errors={"documents": [d.name for d in missing]},
            )
        now = timezone.now()
        locked.code = codes.next_code(locked.receiving_agency, timezone.localdate(now))
        locked.received_at = now
        locked.deciding_agency = _deciding_agency(locked)
        steps = _create_steps(locked, actor, now)
        _schedule(locked, start=now)
        current = next((s for s in steps if s.completed_at is None), None)
        locked.current_step = current
        locked.holder_agency = current.agency if current else locked.receiving_agency
        locked.holder_user = current.assignee if current else None
        change.note = note
        change.step = steps[0] if steps else None
        change.data.update(code=locked.code, due_at=locked.due_at.isoformat() if locked.due_at else None)
        _store_notice(change, NoticeForm.RECEIPT, actor)
    return dossier


def _create_steps(dossier: Dossier, officer: User, now: datetime.datetime) -> list[Step]:
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
    if len(steps) > 1 or (steps and steps[0].completed_at is None):
        first_open = next(s for s in steps if s.completed_at is None)
        first_open.started_at = now
        first_open.save(update_fields=["started_at"])
    return list(dossier.steps.order_by("order"))


@_stale_is_a_conflict
def request_supplement(
    dossier: Dossier, *, actor: User, items: list[str], note: str = "", expected_revision: int | None = None
) -> Dossier:
    """Ask for everything missing at once (form 02). Before reception the dossier waits for the
    applicant; during processing the clock stops until the applicant resubmits."""
    items = [i.strip()[:500] for i in items if i and i.strip()]
    if not items:
        raise InvalidInput(
            _("Liệt kê các giấy tờ, nội dung cần bổ sung (List what must be added)."),
            errors={"items": [_("Bắt buộc (Required).")]},
        )
    allowed = [Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING]
    if dossier.status == Status.SUBMITTED:
        _require_staff(actor, dossier.receiving_agency_id, [Role.RECEPTION])
    else:
        _require_step_officer(actor, dossier)
    with _acting(
        dossier,
        actor,
        ActionType.REQUEST_SUPPLEMENT,
        allowed,
        Status.SUPPLEMENT,
        expected_revision=expected_revision,
    ) as change:
        locked = change.dossier
        if locked.received_at is not None:
            now = timezone.now()
            Pause.objects.create(dossier=locked, started_at=now, reason=_("Yêu cầu bổ sung hồ sơ"))
            locked.paused_since = now
        change.note = note
        change.data["items"] = items
        _store_notice(change, NoticeForm.SUPPLEMENT, actor, items=items, reasons=note)
    return dossier


@_stale_is_a_conflict
def refuse(dossier: Dossier, *, actor: User, reasons: str, expected_revision: int | None = None) -> Dossier:
    """Refuse the dossier at reception (status 3) with the reasons (form 03)."""
    _require_staff(actor, dossier.receiving_agency_id, [Role.RECEPTION])
    with _acting(
        dossier,
        actor,
        ActionType.REFUSE,
        [Status.SUBMITTED, Status.SUPPLEMENT],
        Status.REFUSED,
        expected_revision=expected_revision,
    ) as change:
        if change.dossier.received_at is not None:
            raise WrongState(
                _(
                    "Hồ sơ đã được tiếp nhận; hãy dừng xử lý thay vì từ chối "
                    "(The dossier was already received: stop it instead)."
                )
            )
        change.note = _required_text(reasons, "reasons")
        change.dossier.closed_at = timezone.now()
        _store_notice(change, NoticeForm.REFUSAL, actor, reasons=change.note)
    return dossier


# ---------------------------------------------------------------------------------------------
# Processing


def _process_steps(dossier: Dossier) -> list[Step]:
    return list(dossier.steps.filter(kind=StepKind.PROCESS).select_related("agency").order_by("order"))


def _move_to(dossier: Dossier, step: Step, to_user: User | None, now: datetime.datetime) -> None:
    if to_user is not None and not _has_role(to_user, step.agency_id, [step.role, Role.LEADER]):
        raise InvalidInput(
            _(
                "Cán bộ được chọn không có vai trò phù hợp ở bước này "
                "(The chosen officer has no suitable role for this step)."
            ),
            errors={"to_user": [_("Không hợp lệ (Invalid).")]},
        )
    step.assignee = to_user
    step.started_at = now
    step.completed_at = None
    step.save(update_fields=["assignee", "started_at", "completed_at"])
    dossier.current_step = step
    dossier.holder_agency_id = step.agency_id
    dossier.holder_user = to_user


@_stale_is_a_conflict
def forward(
    dossier: Dossier,
    *,
    actor: User,
    to_user: User | None = None,
    note: str = "",
    expected_revision: int | None = None,
    action: ActionType = ActionType.FORWARD,
) -> Dossier:
    """Finish the current step and pass the dossier to the next one (to a person, or to the unit)."""
    _require_step_officer(actor, dossier)
    if action == ActionType.APPROVE:
        _require_staff(actor, dossier.holder_agency_id, [Role.LEADER])
    with _acting(
        dossier,
        actor,
        action,
        [Status.RECEIVED, Status.PROCESSING],
        Status.PROCESSING,
        expected_revision=expected_revision,
        check=lambda d: _require_step_officer(actor, d),
    ) as change:
        locked = change.dossier
        if action == ActionType.APPROVE:
            _require_staff(actor, locked.holder_agency_id, [Role.LEADER])
        steps = _process_steps(locked)
        current = locked.current_step
        following = [s for s in steps if current is None or s.order > current.order]
        change.note = note
        change.step = current
        if action == ActionType.APPROVE:
            change.data["approved"] = True
        if not following and action != ActionType.APPROVE:
            raise WrongState(
                _("Đây là bước cuối; hãy hoàn thành xử lý (This is the last step: mark it ready).")
            )
        # Approved at the last step, the dossier stays there for the result to be issued.
        if following:
            now = timezone.now()
            if current is not None:
                current.completed_at = now
                current.assignee = current.assignee or actor
                current.save(update_fields=["completed_at", "assignee"])
            _move_to(locked, following[0], to_user, now)
            change.data["to_step"] = following[0].order
            if to_user is not None:
                change.data["to_user"] = to_user.pk
    return dossier


@_stale_is_a_conflict
def approve(
    dossier: Dossier,
    *,
    actor: User,
    note: str = "",
    to_user: User | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """A leader approves (phê duyệt) at the current step; the dossier moves on if a step follows."""
    return forward(
        dossier,
        actor=actor,
        to_user=to_user,
        note=note,
        expected_revision=expected_revision,
        action=ActionType.APPROVE,
    )


@_stale_is_a_conflict
def send_back(dossier: Dossier, *, actor: User, note: str, expected_revision: int | None = None) -> Dossier:
    """Return the dossier to the previous step, with a note saying why."""
    _require_step_officer(actor, dossier)
    with _acting(
        dossier,
        actor,
        ActionType.SEND_BACK,
        [Status.RECEIVED, Status.PROCESSING],
        Status.PROCESSING,
        expected_revision=expected_revision,
        check=lambda d: _require_step_officer(actor, d),
    ) as change:
        locked = change.dossier
        change.note = _required_text(note, "note")
        current = locked.current_step
        previous = [
            s
            for s in _process_steps(locked)
            if current is not None and s.order < current.order and s.role != Role.RECEPTION
        ]
        if not previous:
            raise WrongState(_("Không có bước trước để trả lại (There is no previous step)."))
        change.step = current
        target = previous[-1]
        _move_to(locked, target, target.assignee, timezone.now())
        change.data["to_step"] = target.order
    return dossier


@_stale_is_a_conflict
def consult(
    dossier: Dossier,
    *,
    actor: User,
    agency: Agency,
    question: str,
    days: Decimal | int = 3,
    expected_revision: int | None = None,
) -> Step:
    """Ask another unit's opinion (xin ý kiến) with its own deadline; the dossier stays where it is."""
    _require_step_officer(actor, dossier)
    days = Decimal(days)
    if days <= 0 or days > 60:
        raise InvalidInput(
            _("Thời hạn xin ý kiến từ 0,5 đến 60 ngày làm việc (Between 0.5 and 60 working days)."),
            errors={"days": [_("Không hợp lệ (Invalid).")]},
        )
    with _acting(
        dossier,
        actor,
        ActionType.CONSULT,
        [Status.RECEIVED, Status.PROCESSING],
        Status.PROCESSING,
        check=lambda d: _require_step_officer(actor, d),
        expected_revision=expected_revision,
    ) as change:
        locked = change.dossier
        now = timezone.now()
        due = compute_due(now, days, "working_days", agency=agency.pk)
        step = Step.objects.create(
            dossier=locked,
            order=(locked.current_step.order if locked.current_step else 0),
            kind=StepKind.CONSULTATION,
            name=_("Xin ý kiến: %(agency)s") % {"agency": agency.name},
            agency=agency,
            role=Role.SPECIALIST,
            started_at=now,
            due_at=due.due_at,
            note=_required_text(question, "question"),
        )
        change.note = step.note
        change.data.update(consultation=step.pk, agency=agency.code, due_at=due.due_at.isoformat())
    return step


def reply_consultation(step: Step, *, actor: User, answer: str, expected_revision: int | None = None) -> Step:
    """The consulted unit answers; the answer joins the dossier's history."""
    _require_staff(actor, step.agency_id, [Role.SPECIALIST, Role.LEADER])
    with _acting(
        step.dossier_id,
        actor,
        ActionType.REPLY_CONSULTATION,
        [Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAYMENT],
        expected_revision=expected_revision,
    ) as change:
        locked_step = Step.objects.select_for_update().get(pk=step.pk, kind=StepKind.CONSULTATION)
        if locked_step.completed_at is not None:
            raise Conflict(_("Đã trả lời xin ý kiến này (This consultation was already answered)."))
        locked_step.completed_at = timezone.now()
        locked_step.assignee = actor
        locked_step.save(update_fields=["completed_at", "assignee"])
        change.step = locked_step
        change.note = _required_text(answer, "answer")
        change.data["consultation"] = locked_step.pk
    step.refresh_from_db()
    return step


@_stale_is_a_conflict
def request_payment(
    dossier: Dossier, *, actor: User, amount: int, note: str = "", expected_revision: int | None = None
) -> Dossier:
    """Ask the applicant to pay the fees (status 6)."""
    _require_step_officer(actor, dossier)
    if int(amount) <= 0:
        raise InvalidInput(
            _("Số tiền phải lớn hơn 0 (The amount must be positive)."),
            errors={"amount": [_("Không hợp lệ (Invalid).")]},
        )
    with _acting(
        dossier,
        actor,
        ActionType.REQUEST_PAYMENT,
        [Status.RECEIVED, Status.PROCESSING],
        Status.PAYMENT,
        check=lambda d: _require_step_officer(actor, d),
        expected_revision=expected_revision,
    ) as change:
        change.dossier.fee_due = int(amount)
        change.note = note
        change.data["amount"] = int(amount)
    return dossier


@_stale_is_a_conflict
def record_payment(
    dossier: Dossier,
    *,
    actor: User,
    amount: int,
    method: str = PaymentMethod.CASH,
    reference: str = "",
    expected_revision: int | None = None,
) -> Payment:
    """Record a payment made at the counter or by transfer; processing continues (status 4)."""
    if not (_has_role(actor, dossier.receiving_agency_id, [Role.RECEPTION])):
        _require_step_officer(actor, dossier)
    if method not in PaymentMethod.values or int(amount) <= 0:
        raise InvalidInput(
            _("Thông tin thanh toán không hợp lệ (Invalid payment)."),
            errors={"amount": [_("Không hợp lệ (Invalid).")]},
        )
    with _acting(
        dossier,
        actor,
        ActionType.RECORD_PAYMENT,
        [Status.PAYMENT],
        Status.PROCESSING,
        expected_revision=expected_revision,
    ) as change:
        payment = Payment.objects.create(
            dossier=change.dossier,
            amount=int(amount),
            method=method,
            reference=reference[:100],
            recorded_by=actor,
        )
        change.data.update(amount=int(amount), method=method, reference=reference[:100])
    return payment


@_stale_is_a_conflict
def attach_result(
    dossier: Dossier,
    *,
    actor: User,
    upload: IO[bytes] | None = None,
    name: str = "",
    expected_revision: int | None = None,
) -> Attachment:
    """Attach the result document (uploaded, or generated from the procedure's result)."""
    _require_step_officer(actor, dossier)
    with _acting(
        dossier,
        actor,
        ActionType.ATTACH_RESULT,
        [Status.RECEIVED, Status.PROCESSING],
        check=lambda d: _require_step_officer(actor, d),
        expected_revision=expected_revision,
    ) as change:
        locked = change.dossier
        locked.attachments.filter(kind=AttachmentKind.RESULT, superseded=False).update(superseded=True)
        if upload is not None:
            checked = check_upload(upload, name or "ket-qua.pdf")
            upload.seek(0)
            attachment = _store_file(
                locked,
                kind=AttachmentKind.RESULT,
                name=checked.name,
                content=upload.read(),
                content_type=checked.content_type,
                extension=checked.extension,
                actor=actor,
            )
        else:
            pdf = notices.render_result(
                locked, lookup_url=lookup_url(locked), officer_name=getattr(actor, "full_name", "") or ""
            )
            attachment = _store_file(
                locked,
                kind=AttachmentKind.RESULT,
                name=f"ket-qua-{locked.code}.pdf",
                content=pdf,
                content_type="application/pdf",
                extension=".pdf",
                actor=actor,
            )
        change.data["files"] = [attachment.pk]
    return attachment


def has_result(dossier: Dossier) -> bool:
    return dossier.attachments.filter(kind=AttachmentKind.RESULT, superseded=False).exists()


@_stale_is_a_conflict
def mark_ready(
    dossier: Dossier, *, actor: User, note: str = "", expected_revision: int | None = None
) -> Dossier:
    """The result is ready (status 9): approved, with a result document; it goes back for return."""
    _require_step_officer(actor, dossier)
    with _acting(
        dossier,
        actor,
        ActionType.MARK_READY,
        [Status.PROCESSING],
        Status.READY,
        expected_revision=expected_revision,
        check=lambda d: _require_step_officer(actor, d),
    ) as change:
        locked = change.dossier
        if not has_result(locked):
            raise WrongState(_("Chưa có văn bản kết quả (Attach the result first)."))
        if not locked.actions.filter(type=ActionType.APPROVE).exists():
            raise WrongState(_("Lãnh đạo chưa phê duyệt (A leader has not approved yet)."))
        now = timezone.now()
        if locked.current_step is not None:
            Step.objects.filter(pk=locked.current_step.pk, completed_at__isnull=True).update(completed_at=now)
        locked.finished_at = now
        locked.current_step = None
        locked.holder_agency = locked.receiving_agency
        locked.holder_user = None
        change.note = note
        # An apology gives a new appointment, not a new deadline: timeliness counts the original one.
        deadline = locked.original_due_at or locked.due_at
        change.data["on_time"] = deadline is None or now <= deadline
    return dossier


@_stale_is_a_conflict
def return_result(
    dossier: Dossier, *, actor: User, note: str = "", expected_revision: int | None = None
) -> Dossier:
    """Hand the result to the applicant (status 10)."""
    _require_staff(actor, dossier.receiving_agency_id, [Role.RECEPTION])
    with _acting(
        dossier,
        actor,
        ActionType.RETURN_RESULT,
        [Status.READY],
        Status.RETURNED,
        expected_revision=expected_revision,
    ) as change:
        now = timezone.now()
        change.dossier.returned_at = now
        change.dossier.closed_at = now
        change.note = note
    return dossier


@_stale_is_a_conflict
def stop(dossier: Dossier, *, actor: User, reasons: str, expected_revision: int | None = None) -> Dossier:
    """Stop processing (status 8, form 05), allowed only while no result has been issued."""
    if not _has_role(actor, dossier.receiving_agency_id, [Role.LEADER]):
        _require_staff(actor, dossier.holder_agency_id, [Role.LEADER])
    allowed = [Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAYMENT]
    with _acting(
        dossier, actor, ActionType.STOP, allowed, Status.STOPPED, expected_revision=expected_revision
    ) as change:
        if has_result(change.dossier):
            raise WrongState(_("Đã có kết quả, không thể dừng xử lý (A result exists: cannot stop)."))
        change.note = _required_text(reasons, "reasons")
        change.dossier.closed_at = timezone.now()
        change.dossier.pauses.filter(ended_at__isnull=True).update(ended_at=change.dossier.closed_at)
        _store_notice(change, NoticeForm.STOP, actor, reasons=change.note)
    return dossier


@_stale_is_a_conflict
def apologize(
    dossier: Dossier,
    *,
    actor: User,
    reasons: str,
    new_due_at: datetime.datetime,
    expected_revision: int | None = None,
) -> Dossier:
    """An overdue dossier gets an apology letter with a new appointment (form 04), once."""
    _require_staff(actor, dossier.holder_agency_id, [Role.LEADER, Role.SPECIALIST, Role.RECEPTION])
    allowed = [Status.RECEIVED, Status.PROCESSING, Status.PAYMENT]
    with _acting(
        dossier, actor, ActionType.APOLOGIZE, allowed, expected_revision=expected_revision
    ) as change:
        locked = change.dossier
        now = timezone.now()
        if locked.apologized:
            raise WrongState(_("Đã gửi thư xin lỗi cho hồ sơ này (An apology was already sent once)."))
        if not locked.is_overdue(now):
            raise WrongState(_("Hồ sơ chưa quá hạn (The dossier is not overdue)."))
        if new_due_at <= now:
            raise InvalidInput(
                _("Ngày hẹn mới phải sau hiện tại (The new appointment must be in the future)."),
                errors={"new_due_at": [_("Không hợp lệ (Invalid).")]},
            )
        change.note = _required_text(reasons, "reasons")
        locked.original_due_at = locked.original_due_at or locked.due_at
        _store_notice(change, NoticeForm.APOLOGY, actor, reasons=change.note, new_due_at=new_due_at)
        locked.apologized = True
        locked.due_at = new_due_at
        change.data.update(
            previous_due_at=(locked.original_due_at or new_due_at).isoformat(),
            new_due_at=new_due_at.isoformat(),
        )
    return dossier


# ---------------------------------------------------------------------------------------------
# Counter intake: the officer enters a walk-in applicant's dossier and scans the papers


def intake_at_counter(
    *,
    actor: User,
    agency: Agency,
    version: ProcedureVersion,
    applicant: dict[str, str],
    form_data: dict[str, Any],
    scans: Sequence[tuple[RequiredDocument | None, str, IO[bytes]]],
    note: str = "",
) -> Dossier:
    """Create, submit and receive a dossier brought to the counter, in one go."""
    _require_staff(actor, agency.pk, [Role.RECEPTION])
    if agency not in receiving_agencies(version):
        raise InvalidInput(
            _("Đơn vị không tiếp nhận thủ tục này (This unit does not receive this procedure).")
        )
    # Every problem is reported at once, each under its field (a scan under "doc-<id>").
    name = (applicant.get("name") or "").strip()
    identity = (applicant.get("identity") or "").strip()
    cleaned, errors = clean_form(version, form_data, partial=False)
    if not name:
        errors["applicant_name"] = [_("Nhập họ tên người nộp (Enter the applicant's name).")]
    if identity:
        try:
            validate_citizen_id(identity)
        except ValidationError as exc:
            errors["applicant_identity"] = exc.messages
    checked = []
    for document, file_name, upload in scans:
        try:
            checked.append((document, check_upload(upload, file_name), upload))
        except InvalidInput as exc:
            errors[f"doc-{document.pk if document else 'other'}"] = [exc.message]
    scanned = {document.pk for document, _info, _upload in checked if document is not None}
    for document in version_parts(version).documents:
        if document.required and document.pk not in scanned and f"doc-{document.pk}" not in errors:
            errors[f"doc-{document.pk}"] = [
                _("Thiếu: %(name)s (Missing document).") % {"name": document.name}
            ]
    if errors:
        raise InvalidInput(
            _("Hồ sơ chưa đầy đủ hoặc chưa đúng (The dossier is incomplete or wrong)."), errors=errors
        )
    with transaction.atomic():
        now = timezone.now()
        dossier = Dossier.objects.create(
            procedure_version=version,
            applicant=None,
            applicant_name=name[:255],
            applicant_identity=identity,
            applicant_phone=(applicant.get("phone") or "")[:20],
            applicant_email=(applicant.get("email") or "")[:254],
            applicant_address=(applicant.get("address") or "").strip()[:500],
            channel=Channel.COUNTER,
            receiving_agency=agency,
            holder_agency=agency,
            form_data=cleaned,
            status=Status.SUBMITTED,
            submitted_at=now,
            fee_due=version.total_fee,
        )
        files = []
        for document, info, upload in checked:
            upload.seek(0)
            files.append(
                _store_file(
                    dossier,
                    kind=AttachmentKind.SCAN,
                    name=info.name,
                    content=upload.read(),
                    content_type=info.content_type,
                    extension=info.extension,
                    actor=actor,
                    document=document,
                ).pk
            )
        Action.objects.create(
            dossier=dossier,
            actor=actor,
            type=ActionType.SUBMIT,
            status_before=Status.DRAFT,
            status_after=Status.SUBMITTED,
            agency=agency,
            note=_("Nộp trực tiếp tại bộ phận một cửa"),
            data={"channel": Channel.COUNTER, "files": files},
        )
        receive(dossier, actor=actor, note=note)
    return dossier
