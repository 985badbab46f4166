"""The applicant's side: a draft, its documents, submission (which gives the dossier its code),
supplement, withdrawal."""

import functools
from typing import IO, Any

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.constants import AccountKind
from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog import fees
from motcua.catalog.models import ProcedureVersion, RequiredDocument
from motcua.catalog.selectors import version_parts
from motcua.core import clock
from motcua.core.models import AuditEntry
from motcua.core.refcache import TimedCache
from motcua.dossiers import codes, deadlines, delivery, events, rules, selectors
from motcua.dossiers.constants import ActionType, AttachmentKind, Operation, Status
from motcua.dossiers.errors import InvalidInput, NotAllowed, WrongState
from motcua.dossiers.form_data import clean_form
from motcua.dossiers.models import Action, Attachment, DailySequence, Dossier, OutboxEvent
from motcua.dossiers.services.base import (
    acting,
    locked,
    record,
    required_text,
    stale_is_a_conflict,
    store_upload,
)
from motcua.dossiers.uploads import check_dossier_room, check_upload

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


def _subject_fields(subject: dict[str, str] | None) -> dict[str, str]:
    subject = subject or {}
    return {
        "subject_name": (subject.get("name") or "")[:255],
        "subject_identity": (subject.get("identity") or "")[:14],
        "subject_relation": (subject.get("relation") or "")[:120],
    }


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
        raise NotAllowed(_("Tài khoản cán bộ không nộp hồ sơ trực tuyến; hãy dùng tiếp nhận trực tiếp."))
    if not version.is_current:
        raise WrongState(_("Thủ tục này hiện không áp dụng."))
    allowed = receiving_agencies(version)
    receiving_agency = receiving_agency or (allowed[0] if allowed else None)
    if receiving_agency is None or receiving_agency not in allowed:
        message = _("Nơi tiếp nhận không hợp lệ cho thủ tục này.")
        raise InvalidInput(message, errors={"receiving_agency": [message]})
    fields.setdefault("result_delivery", delivery.default_for(version, has_account=True))
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
        **_subject_fields(subject),
        **fields,
    )


def _copy_applicant(dossier: Dossier, applicant: User) -> None:
    """A draft shows the applicant's details from their account; what is submitted is what it showed
    (the account may have changed since the draft was started)."""
    dossier.applicant_name = applicant.full_name or applicant.username
    dossier.applicant_identity = applicant.identity_number or ""
    dossier.applicant_phone = applicant.phone
    dossier.applicant_email = applicant.email
    dossier.applicant_address = applicant.address


def start_dossier(
    *,
    version: ProcedureVersion,
    applicant: User,
    receiving_agency: Agency | None = None,
    subject: dict[str, str] | None = None,
    another: bool = False,
) -> Dossier:
    """The applicant's draft for a published procedure version: the one they already have for this
    procedure (so a second click does not pile up drafts), or a new one when there is none or they
    ask for ``another``."""
    dossier = _new_dossier(
        version, applicant, receiving_agency, subject, fee_due=version_parts(version).base_fee
    )
    with transaction.atomic():
        if not another:
            # One applicant's starts are serialised on their account row: two clicks, one draft.
            User.objects.select_for_update().filter(pk=applicant.pk).first()
            existing = (
                Dossier.objects.filter(applicant=applicant, status=Status.DRAFT, procedure_version=version)
                .order_by("-created_at", "-id")
                .first()
            )
            if existing is not None:
                return existing
        dossier.created_at = clock.now()
        dossier.save()
        record(applicant, "draft_created", dossier, summary=version.name)
    return dossier


def delete_draft(dossier: Dossier, *, actor: User) -> None:
    """Delete a draft and its files (a draft has no history and no code: nothing else refers to it)."""
    with locked(dossier, actor, Operation.DELETE_DRAFT) as change:
        row = change.dossier
        files = [str(a.file.name) for a in row.attachments.all() if a.file]
        storage = Attachment._meta.get_field("file").storage
        record(actor, Operation.DELETE_DRAFT.value, row, summary=row.procedure_version.name, files=len(files))
        row.delete()

        def remove_files() -> None:
            for name in files:
                storage.delete(name)

        transaction.on_commit(remove_files)


def submit_new(
    *,
    version: ProcedureVersion,
    applicant: User,
    form_data: dict[str, Any],
    declaration: bool,
    receiving_agency: Agency | None = None,
    subject: dict[str, str] | None = None,
    result_delivery: str | None = None,
    delivery_address: str | None = None,
) -> Dossier:
    """Create and submit a dossier in one go (the API's path when nothing needs uploading).

    ``result_delivery`` and ``delivery_address``: how the applicant receives the result (the
    default of motcua.dossiers.delivery when not given).

    Validates once, then writes the code's sequence, the dossier, its first action, the audit row and
    the event together: on PostgreSQL in one statement (atomic by itself), elsewhere in one
    transaction; nothing to lock, the row is new. Raises InvalidInput (and saves nothing) when
    incomplete.
    """
    now = clock.now()
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
    rules.check_conditions(ActionType.SUBMIT, rules.Facts(dossier, applicant, now=now))
    parts = version_parts(version)
    cleaned, errors = clean_form(version, form_data, partial=False)
    missing = [d for d in parts.documents if d.required]
    if missing:
        errors["documents"] = [_("Thiếu: %(name)s.") % {"name": d.name} for d in missing]
    choice = delivery.clean(version, has_account=True, delivery=result_delivery, address=delivery_address)
    errors.update(choice.errors)
    if not declaration:
        errors["declaration"] = [_("Vui lòng xác nhận lời cam đoan.")]
    if errors:
        raise InvalidInput(_("Hồ sơ chưa đầy đủ."), errors=errors)
    dossier.result_delivery, dossier.delivery_address = choice.delivery, choice.address
    dossier.form_data = cleaned
    dossier.fee_due = fees.total(fees.charges(version, cleaned))
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
        at=now,
        action=f"dossier.{ActionType.SUBMIT.value}",
        actor=applicant,
        object_type=Dossier._meta.label_lower,
        summary="",
        data={"status": int(Status.SUBMITTED)},
    )
    day = timezone.localdate(now)
    if connection.vendor == "postgresql":
        # One statement writes every row, so it is atomic by itself: outside a caller's transaction
        # it commits on its own, two round trips fewer than BEGIN ... COMMIT (docs/performance.md).
        event = events.outbox_row(ActionType.SUBMIT.value, dossier.status)
        _insert_submission(dossier, action, entry, event, day)
        if event is None:
            events.publish(dossier.pk, ActionType.SUBMIT.value, dossier.status)
        return dossier
    with transaction.atomic():
        dossier.code = codes.next_code(dossier.receiving_agency, day)
        dossier.save()
        action.save()
        entry.object_id = str(dossier.pk)
        entry.summary = dossier.code
        entry.save()
        events.publish(dossier.pk, ActionType.SUBMIT.value, dossier.status)
    return dossier


def _insert_submission(
    dossier: Dossier, action: Action, entry: AuditEntry, event: OutboxEvent | None, day
) -> None:
    """The code's daily sequence, the dossier, its first action, the audit row and the outbox event
    (when events go through the outbox) in one statement: one round trip instead of five, measured
    in docs/performance.md. Rows are built from the models' own fields; a NULL is written in the
    statement rather than passed, which keeps the parameters under psycopg's 50, the most whose
    parsed form it caches."""
    rows = (dossier, action, entry) if event is None else (dossier, action, entry, event)
    values = [
        [field.get_db_prep_save(field.pre_save(obj, add=True), connection) for field in fields]
        for obj, fields in zip(rows, _submission_fields(event is not None), strict=True)
    ]
    nulls = tuple(tuple(value is None for value in row) for row in values)
    params = [dossier.receiving_agency_id, day, codes.code_prefix(dossier.receiving_agency, day)]
    params += [value for row in values for value in row if value is not None]
    with connection.cursor() as cursor:
        cursor.execute(_submission_statement(nulls), params)
        dossier.pk, dossier.code = cursor.fetchone()
    dossier._state.adding = False
    if event is not None:
        event.dossier_id = dossier.pk


# The rows of _insert_submission: the model, and the column computed in the statement (the code
# from the daily sequence, then the new dossier's id).
_SUBMISSION_ROWS = (
    (Dossier, "code"),
    (Action, "dossier_id"),
    (AuditEntry, "object_id"),
    (OutboxEvent, "dossier_id"),
)


@functools.cache
def _submission_fields(with_event: bool) -> tuple[tuple, ...]:
    """For each row of ``_insert_submission``, the fields whose values it passes."""
    rows = _SUBMISSION_ROWS if with_event else _SUBMISSION_ROWS[:3]
    return tuple(
        tuple(f for f in model._meta.local_concrete_fields if not f.primary_key and f.attname != computed)
        for model, computed in rows
    )


@functools.cache
def _submission_statement(nulls: tuple[tuple[bool, ...], ...]) -> str:
    """The statement of ``_insert_submission`` for rows whose values are NULL where ``nulls`` says,
    built once for each such pattern (a handful)."""
    quote = connection.ops.quote_name
    sequence = quote(DailySequence._meta.db_table)
    clauses = [
        # codes.next_number's statement: the row of (agency, day) serialises concurrent submissions.
        f"s AS (INSERT INTO {sequence} (agency_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {sequence}.last + 1 RETURNING last)"
    ]
    for name, (model, computed), fields, row_nulls in zip(
        "daeo", _SUBMISSION_ROWS, _submission_fields(len(nulls) == 4), nulls, strict=False
    ):
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join("NULL" if null else "%s" for null in row_nulls)
        # Table and column names come from the models; every value is a parameter or NULL.
        if model is Dossier:
            number = "CASE WHEN s.last < 10000 THEN lpad(s.last::text, 4, '0') ELSE s.last::text END"
            clauses.append(
                f"d AS (INSERT INTO {table} ({quote(computed)}, {columns}) "  # noqa: S608
                f"SELECT %s || {number}, {marks} FROM s RETURNING id, code)"
            )
        else:
            new_id = "d.id::text" if computed == "object_id" else "d.id"
            clauses.append(
                f"{name} AS (INSERT INTO {table} ({quote(computed)}, {columns}) "  # noqa: S608
                f"SELECT {new_id}, {marks} FROM d)"
            )
    return f"WITH {', '.join(clauses)} SELECT id, code FROM d"  # noqa: S608


def save_draft(
    dossier: Dossier,
    *,
    actor: User,
    form_data: dict[str, Any],
    subject: dict[str, str] | None = None,
    result_delivery: str | None = None,
    delivery_address: str | None = None,
) -> dict[str, list[str]]:
    """Keep what the applicant typed (even with errors) and return the errors to show.

    The way to receive the result changes when ``result_delivery`` or ``delivery_address`` is given;
    a draft keeps a choice still lacking its address, a dossier asked to supplement keeps its own
    until the new one is complete."""
    with locked(dossier, actor, Operation.EDIT) as change:
        row = change.dossier
        cleaned, errors = clean_form(row.procedure_version, form_data, partial=True)
        if result_delivery is not None or delivery_address is not None:
            choice = delivery.clean(
                row.procedure_version,
                has_account=True,
                delivery=result_delivery,
                address=delivery_address if delivery_address is not None else row.delivery_address,
                current=row.result_delivery,
            )
            errors.update(choice.errors)
            if row.status == Status.DRAFT or not choice.errors:
                row.result_delivery, row.delivery_address = choice.delivery, choice.address
        if row.status == Status.DRAFT:
            _copy_applicant(row, actor)
        row.form_data = cleaned
        row.fee_due = fees.total(fees.charges(row.procedure_version, cleaned))
        row.revision += 1
        if subject is not None:
            for name, value in _subject_fields(subject).items():
                setattr(row, name, value)
        row.save()
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
    """Attach a file, checked by content and size. A new file for a document slot replaces the old one.

    The applicant adds papers to a draft or a dossier asked to supplement; the one-stop officer adds
    scans while receiving."""
    if kind not in (AttachmentKind.APPLICANT, AttachmentKind.SCAN):
        raise ValueError(f"add_document stores applicants' papers and scans, not {kind!r}")
    checked = check_upload(upload, name)
    if document is not None and document.version_id != dossier.procedure_version_id:
        message = _("Thành phần hồ sơ không thuộc thủ tục này.")
        raise InvalidInput(message, errors={"document": [message]})
    operation = Operation.EDIT if kind == AttachmentKind.APPLICANT else Operation.ADD_SCAN
    with locked(dossier, actor, operation) as change:
        row = change.dossier
        held = row.attachments.filter(kind__in=(AttachmentKind.APPLICANT, AttachmentKind.SCAN)).aggregate(
            count=Count("id"), total=Sum("size")
        )
        check_dossier_room(held["count"], held["total"] or 0, [checked.size])
        if document is not None:
            row.attachments.filter(document=document, superseded=False).update(superseded=True)
        attachment = store_upload(row, upload, checked, kind=kind, actor=actor, document=document)
        record(actor, "file_added", row, summary=checked.name, sha256=checked.sha256)
    return attachment


def missing_documents(dossier: Dossier) -> list[RequiredDocument]:
    have = set(
        dossier.attachments.filter(superseded=False, document__isnull=False).values_list(
            "document_id", flat=True
        )
    )
    return [d for d in dossier.procedure_version.documents.all() if d.required and d.pk not in have]


def check_complete(dossier: Dossier) -> None:
    """Raise InvalidInput listing every missing field and document, and a way to receive the result
    that is not complete (by post without an address)."""
    _cleaned, errors = clean_form(dossier.procedure_version, dossier.form_data, partial=False)
    errors.update(delivery.complete_errors(dossier))
    for document in missing_documents(dossier):
        errors.setdefault("documents", []).append(_("Thiếu: %(name)s.") % {"name": document.name})
    if errors:
        raise InvalidInput(_("Hồ sơ chưa đầy đủ."), errors=errors)


@stale_is_a_conflict
def submit(
    dossier: Dossier, *, actor: User, declaration: bool, expected_revision: int | None = None
) -> Dossier:
    """Submit a draft (status 1, Mới đăng ký) once the form and the required documents are complete;
    it gets its code now, so the applicant can look it up at once."""
    if not declaration:
        message = _("Vui lòng xác nhận lời cam đoan.")
        raise InvalidInput(message, errors={"declaration": [message]})
    with acting(dossier, actor, ActionType.SUBMIT, expected_revision=expected_revision) as change:
        row = change.dossier
        check_complete(row)
        _copy_applicant(row, actor)
        row.fee_due = fees.total(fees.charges(row.procedure_version, row.form_data))
        row.submitted_at = change.now
        row.holder_agency = row.receiving_agency
        row.code = codes.next_code(row.receiving_agency, timezone.localdate(change.now))
        change.data["code"] = row.code
    return dossier


@stale_is_a_conflict
def resubmit(
    dossier: Dossier, *, actor: User, note: str = "", expected_revision: int | None = None
) -> Dossier:
    """The applicant has added what was asked for. Before reception the dossier goes back to the
    reception queue; during processing the clock resumes (or restarts, per procedure)."""
    with acting(dossier, actor, ActionType.SUPPLEMENT, expected_revision=expected_revision) as change:
        row = change.dossier
        check_complete(row)
        row.fee_due = fees.total(fees.charges(row.procedure_version, row.form_data))
        change.note = (note or "").strip()[:4000]
        if row.received_at is None:
            # Back in the reception queue, in its place: submitted_at stays the day of the code.
            row.status = Status.SUBMITTED
            row.holder_agency = row.receiving_agency
        else:
            row.status = Status.PROCESSING
            change.data["clock"] = deadlines.resume(row, at=change.now).value
    return dossier


@stale_is_a_conflict
def withdraw(dossier: Dossier, *, actor: User, reason: str, expected_revision: int | None = None) -> Dossier:
    """The applicant withdraws the dossier (status 7) any time before the result is ready."""
    with acting(dossier, actor, ActionType.WITHDRAW, expected_revision=expected_revision) as change:
        change.note = required_text(reason, "reason")
        change.dossier.closed_at = change.now
        change.dossier.holder_user = None
        change.dossier.pauses.filter(ended_at__isnull=True).update(ended_at=change.now)
        change.dossier.paused_since = None
    return dossier


def claim_dossier(dossier: Dossier, *, actor: User) -> Dossier:
    """The verified owner of an identity number takes a dossier submitted under it by an account that
    is not verified (rules.is_verified_owner): the dossier becomes theirs; whoever submitted it no
    longer sees it. No line in the history (the dossier's processing is unchanged); an audit row."""
    with locked(dossier, actor, Operation.CLAIM) as change:
        row = change.dossier
        previous = row.applicant_id
        row.applicant = actor
        row.revision += 1
        row.save(update_fields=["applicant", "revision"])
        record(actor, Operation.CLAIM.value, row, summary=str(row), previous_applicant=previous)
    dossier.refresh_from_db()
    return dossier
