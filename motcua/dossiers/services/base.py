"""The transaction around every change of a dossier, and the files it stores.

``acting`` locks the dossier row, compares the caller's revision, asks ``rules.check`` whether this
person may take this action on the dossier as it is now (under the lock: who holds it may have
changed since the caller read it), lets the service change it, then appends the Action, the audit
row and the event. ``locked`` does the same for changes that leave no line in the history.

Generated documents (notices 01–05, the generated result) are stored pending, with the snapshot of
what they print (``store_generated``): the PDF is not laid out under the dossier's lock but after
the commit, by a task (motcua.dossiers.tasks), or by the first download if it comes sooner
(``render_pending``).
"""

import functools
import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.models import RequiredDocument
from motcua.core import audit
from motcua.dossiers import documents, events, notices, rules, selectors
from motcua.dossiers.constants import ActionType, AttachmentKind, NoticeForm, Operation, SignatureState
from motcua.dossiers.errors import Conflict, InvalidInput
from motcua.dossiers.models import Action, Attachment, Dossier, Step
from motcua.dossiers.uploads import CheckedFile


class Change:
    """What an action records, filled in by the service inside ``acting``."""

    def __init__(self, dossier: Dossier, facts: rules.Facts, transition: rules.Transition):
        self.dossier = dossier
        self.facts = facts
        self.transition = transition
        self.note = ""
        self.data: dict[str, Any] = {}
        # Written to the audit row besides the status (what an auditor must find there).
        self.audit: dict[str, Any] = {}
        self.step: Step | None = None
        self.action: Action | None = None
        self.now = facts.now


def stale_is_a_conflict(action: Callable) -> Callable:
    """An officer who acts on a dossier read at an older revision is told someone else acted, before
    any other check runs on that old reading (the action re-checks everything under the lock)."""

    @functools.wraps(action)
    def run(dossier: Dossier, *args: Any, expected_revision: int | None = None, **kwargs: Any) -> Any:
        if expected_revision is not None and dossier.revision != expected_revision:
            raise Conflict()
        return action(dossier, *args, expected_revision=expected_revision, **kwargs)

    return run


@contextmanager
def locked(
    dossier: Dossier | int, actor: User | None, act: rules.Act, *, expected_revision: int | None = None
) -> Iterator[Change]:
    """Lock the dossier, compare the revision and check ``act`` against the rules on the locked row."""
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    with transaction.atomic():
        # No select_related here: after waiting for the lock PostgreSQL re-reads the dossier row but
        # not the joined ones, so the step or holder would be stale. Relations load after the lock.
        row = Dossier.objects.select_for_update().get(pk=pk)
        if expected_revision is not None and row.revision != expected_revision:
            raise Conflict()
        facts = rules.Facts(row, actor)
        transition = rules.check(act, actor, facts)
        yield Change(row, facts, transition)


@contextmanager
def acting(
    dossier: Dossier | int,
    actor: User | None,
    action: ActionType,
    *,
    expected_revision: int | None = None,
) -> Iterator[Change]:
    """Lock and check (``locked``), let the caller change the dossier, then append the Action.

    The resulting status is the transition's only target, or what the caller set when the table
    allows several; it must be one the table allows.
    """
    with locked(dossier, actor, action, expected_revision=expected_revision) as change:
        row = change.dossier
        before = row.status
        targets = change.transition.targets
        yield change
        if len(targets) == 1 and row.status == before:
            row.status = next(iter(targets))
        if (targets and row.status not in targets) or (not targets and row.status != before):
            raise AssertionError(f"{action} may not leave the dossier in status {row.status}")
        row.revision += 1
        row.save()
        change.action = Action.objects.create(
            dossier=row,
            actor=actor if actor is not None and actor.is_authenticated else None,
            type=action,
            at=change.now,
            status_before=before,
            status_after=row.status,
            step=change.step or row.current_step,
            agency=row.holder_agency,
            note=change.note,
            data=change.data,
        )
        Attachment.objects.filter(
            dossier=row, action__isnull=True, pk__in=change.data.get("files", [])
        ).update(action=change.action)
        audit.record(
            f"dossier.{action.value}",
            actor=actor,
            obj=row,
            summary=str(row),
            status=row.status,
            **change.audit,
        )
        # The event names its history line, so that a subscriber finds the one it is about.
        events.publish(row.pk, action.value, row.status, {**change.data, "action_id": change.action.pk})
    if isinstance(dossier, Dossier):
        dossier.refresh_from_db(from_queryset=selectors.with_related())


def lookup_url(dossier: Dossier) -> str:
    base = getattr(settings, "MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/tra-cuu/{dossier.code or ''}"


def store_file(
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
    issued = kind in documents.ISSUED_ATTACHMENT_KINDS
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
        # An uploaded result is issued too: it gets a code (for the verification page) and waits for
        # its signature like a generated one.
        verification_code=documents.new_verification_code() if issued else None,
        signature_state=SignatureState.UNSIGNED if issued else "",
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def store_upload(
    dossier: Dossier,
    upload: IO[bytes],
    checked: CheckedFile,
    *,
    kind: str,
    actor: User | None,
    document: RequiredDocument | None = None,
) -> Attachment:
    upload.seek(0)
    return store_file(
        dossier,
        kind=kind,
        name=checked.name,
        content=upload.read(),
        content_type=checked.content_type,
        extension=checked.extension,
        actor=actor,
        document=document,
    )


# Generated documents stored inside ``renders_collected()`` go to its list instead of the task queue.
_collected: ContextVar[list[int] | None] = ContextVar("motcua_renders_collected", default=None)


@contextmanager
def renders_collected() -> Iterator[list[int]]:
    """Generated documents stored in the block are not queued one by one after the commit: their ids
    go to the list yielded, for the caller to queue (``queue_renders``) when and in the order it
    chooses. The demo loader, which issues hundreds in one transaction, queues them once its load
    has committed. Explicit, so that nothing needs patching."""
    ids: list[int] = []
    token = _collected.set(ids)
    try:
        yield ids
    finally:
        _collected.reset(token)


def queue_renders(attachment_ids: Iterable[int]) -> int:
    """Queue one render task per generated document, after the commit of the current transaction (at
    once outside one). Under the tests' immediate task backend the PDFs are rendered right then."""
    from motcua.dossiers.tasks import render_document  # tasks.py imports this module

    ids = list(attachment_ids)

    def enqueue() -> None:
        for pk in ids:
            render_document.enqueue(pk)

    if ids:
        transaction.on_commit(enqueue)
    return len(ids)


def store_generated(
    dossier: Dossier,
    *,
    kind: str,
    name: str,
    snapshot: dict,
    actor: User | None,
    form: str = "",
    verification_code: str | None = None,
) -> Attachment:
    """Store a generated PDF pending, with its snapshot (motcua.dossiers.notices) and the verification
    code the snapshot prints, and queue its render for after the commit."""
    attachment = Attachment.objects.create(
        dossier=dossier,
        kind=kind,
        notice_form=form,
        original_name=name,
        content_type="application/pdf",
        extension=".pdf",
        snapshot=snapshot,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        verification_code=verification_code,
        signature_state=SignatureState.UNSIGNED,
    )
    collected = _collected.get()
    if collected is None:
        queue_renders([attachment.pk])
    else:
        collected.append(attachment.pk)
    return attachment


def _render(row: Attachment) -> bytes:
    if row.snapshot is None:
        raise ValueError(f"Attachment {row.pk} has neither a file nor a snapshot to render.")
    return notices.render(row.snapshot)


def render_pending(attachment: Attachment) -> bool:
    """Render a pending generated document from its snapshot, pass it through the finishers
    (motcua.dossiers.documents: signing) and store the PDF; returns whether this call stored it.

    Under a row lock on the attachment, so that the task and a download racing for it render it once:
    the second finds the file. SQLite has no row lock, only the database's write lock, which every
    other writer would wait for while the PDF is laid out (~0.15 s): there the PDF is laid out first
    and stored only if the document is still pending (a race may lay it out twice, never store it
    twice; the bytes are the same). The finishers run under the lock, in the transaction that stores
    their result. ``attachment`` is updated in place (file, size, digest, signature).
    """
    pdf = None
    if not connection.features.has_select_for_update:
        current = Attachment.objects.get(pk=attachment.pk)
        if current.pending:
            pdf = _render(current)
    stored = False
    with transaction.atomic():
        row = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if row.pending:
            pdf = _render(row) if pdf is None else pdf
            pdf = documents.finish(row, pdf)
            row.file.save(row.original_name, ContentFile(pdf), save=False)
            row.size = len(pdf)
            row.sha256 = hashlib.sha256(pdf).hexdigest()
            row.save(update_fields=["file", "size", "sha256", *documents.SIGNATURE_FIELDS])
            stored = True
    attachment.file, attachment.size, attachment.sha256 = row.file, row.size, row.sha256
    for name in documents.SIGNATURE_FIELDS:
        setattr(attachment, name, getattr(row, name))
    return stored


def store_notice(change: Change, form: NoticeForm, actor: User | None, **context: Any) -> Attachment:
    """Issue notice ``form`` for the dossier being changed: its snapshot now, its PDF after the commit."""
    dossier = change.dossier
    code = documents.new_verification_code()
    snapshot = notices.prepare_notice(
        form.value,
        dossier,
        lookup_url=lookup_url(dossier),
        verify_url=documents.verification_url(code),
        officer_name=getattr(actor, "full_name", "") or "",
        issued_at=change.now,
        **context,
    )
    attachment = store_generated(
        dossier,
        kind=AttachmentKind.NOTICE,
        form=form.value,
        name=f"mau-{form.value}-{dossier.code or dossier.public_id}.pdf",
        snapshot=snapshot,
        actor=actor,
        verification_code=code,
    )
    change.data.setdefault("files", []).append(attachment.pk)
    change.data["notice"] = form.value
    return attachment


def required_text(value: str, field: str, limit: int = 4000) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(
            _("Vui lòng ghi rõ nội dung."),
            errors={field: [_("Bắt buộc.")]},
        )
    return value[:limit]


def record(
    actor: User | None, act: Operation | str, dossier: Dossier, summary: str = "", **data: Any
) -> None:
    audit.record(f"dossier.{act}", actor=actor, obj=dossier, summary=summary, **data)
