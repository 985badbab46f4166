"""Writes of the documents app: every change of an official document.

Each action runs in ``acting``: one transaction, the document's row locked (``SELECT … FOR UPDATE``),
the caller's revision compared, the rule table asked on the locked row (``rules.check``), then the
change, its history line (DocumentAction), its audit row and its event (``events.publish``, inside
the transaction: motcua.exchange writes its own outbox row there).

Outgoing: ``create_draft`` → ``submit_for_review`` → ``approve_review`` (each reviewer) →
``sign`` (the leader) → ``issue`` (the clerk: the number is given now, never before) → ``send``.
Incoming: ``receive_incoming`` (the exchange, or the clerk from paper: ``register_paper``) →
``register_incoming`` → ``assign`` → ``start_processing`` → ``answer`` → ``close``.
"""

import datetime
import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.core import audit, clock
from motcua.documents import events, numbering, rendering, rules, selectors, signatures
from motcua.documents.constants import (
    AMENDABLE_FIELDS,
    STATUS_CODES,
    ActionType,
    AmendmentKind,
    AmendmentState,
    Channel,
    Confidentiality,
    DeliveryState,
    Direction,
    FileKind,
    ReviewDecision,
    Status,
    Urgency,
)
from motcua.documents.models import (
    Amendment,
    Assignment,
    DocumentAction,
    DocumentFile,
    DocumentType,
    OfficialDocument,
    Recipient,
    Review,
)
from motcua.dossiers.errors import Conflict, InvalidInput, NotAllowed, WrongState
from motcua.dossiers.models import Dossier
from motcua.dossiers.uploads import check_upload
from motcua.signing import conf as signing_conf
from motcua.signing import pades, signers, smartca
from motcua.signing.constants import DocumentKind, RequestState
from motcua.signing.models import Certificate, IssuedDocument, SigningRequest


class Change:
    """What an action records, filled in by the service inside ``acting``."""

    def __init__(self, document: OfficialDocument, facts: rules.Facts, transition: rules.Transition):
        self.document = document
        self.facts = facts
        self.transition = transition
        self.note = ""
        self.data: dict[str, Any] = {}
        self.now = facts.now


@contextmanager
def acting(
    document: OfficialDocument | int,
    actor: User | None,
    action: ActionType,
    *,
    expected_revision: int | None = None,
) -> Iterator[Change]:
    pk = document.pk if isinstance(document, OfficialDocument) else document
    with transaction.atomic():
        row = OfficialDocument.objects.select_for_update().get(pk=pk)
        if expected_revision is not None and row.revision != expected_revision:
            raise Conflict(_("Văn bản vừa được người khác xử lý; vui lòng tải lại trang."))
        facts = rules.Facts(row, actor)
        transition = rules.check(action, actor, facts)
        change = Change(row, facts, transition)
        before = row.status
        yield change
        targets = transition.targets
        if len(targets) == 1 and row.status == before:
            row.status = next(iter(targets))
        if (targets and row.status not in targets) or (not targets and row.status != before):
            raise AssertionError(f"{action} may not leave the document in status {row.status}")
        _append(row, actor, action, before, change.now, change.note, change.data)
    if isinstance(document, OfficialDocument):
        document.refresh_from_db()


def _append(
    row: OfficialDocument,
    actor: User | None,
    action: ActionType,
    before: str,
    now: datetime.datetime,
    note: str,
    data: dict,
) -> DocumentAction:
    row.revision += 1
    row.updated_at = now
    row.save()
    who = actor if actor is not None and actor.is_authenticated else None
    line = DocumentAction.objects.create(
        document=row,
        actor=who,
        type=action,
        at=now,
        status_before=before,
        status_after=row.status,
        note=note,
        data=data,
    )
    audit.record(
        f"document.{action.value}", actor=actor, obj=row, summary=str(row), status=row.status, **data
    )
    events.publish(row.pk, action.value, row.status, {**data, "action_id": line.pk})
    return line


# -- input --------------------------------------------------------------------------------------------


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, errors={field: [message]})


def _text(value: str | None, field: str, label: str, *, limit: int, required: bool = True) -> str:
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not value:
        raise _invalid(field, _("Vui lòng nhập %(field)s.") % {"field": label})
    if len(value) > limit:
        raise _invalid(field, _("%(field)s dài quá %(limit)s ký tự.") % {"field": label, "limit": limit})
    return value


def _choice(value: str | None, choices, field: str, default: str) -> str:
    value = value or default
    if value not in choices.values:
        raise _invalid(field, _("Giá trị không hợp lệ."))
    return value


@dataclass
class Draft:
    """The components of an outgoing draft (Decree 30 Art. 8), as the form or the API gives them."""

    document_type: DocumentType | None
    summary: str
    body: str = ""
    place: str = ""
    urgency: str = Urgency.NORMAL
    confidentiality: str = Confidentiality.NORMAL
    signer_title: str = ""
    signer_name: str = ""
    unit_abbreviation: str = ""
    agencies: Iterable[Agency] = ()
    paper_recipients: Iterable[str] = ()
    due_on: datetime.date | None = None
    dossier: Dossier | None = None


def _apply_draft(document: OfficialDocument, draft: Draft) -> None:
    if draft.document_type is None or not draft.document_type.is_active:
        raise _invalid("document_type", _("Vui lòng chọn loại văn bản."))
    document.document_type = draft.document_type
    document.summary = _text(draft.summary, "summary", _("trích yếu nội dung"), limit=500)
    document.body = _text(draft.body, "body", _("nội dung"), limit=100_000, required=False)
    document.place = _text(draft.place, "place", _("địa danh"), limit=100, required=False)
    document.urgency = _choice(draft.urgency, Urgency, "urgency", Urgency.NORMAL)
    document.confidentiality = _choice(
        draft.confidentiality, Confidentiality, "confidentiality", Confidentiality.NORMAL
    )
    document.signer_title = _text(draft.signer_title, "signer_title", _("chức vụ người ký"), limit=120)
    document.signer_name = _text(draft.signer_name, "signer_name", _("họ tên người ký"), limit=120)
    document.unit_abbreviation = _text(
        draft.unit_abbreviation,
        "unit_abbreviation",
        _("chữ viết tắt đơn vị soạn thảo"),
        limit=20,
        required=False,
    )
    document.due_on = draft.due_on
    document.dossier = draft.dossier


def _set_recipients(document: OfficialDocument, agencies: Iterable[Agency], paper: Iterable[str]) -> None:
    agencies = list(dict.fromkeys(agencies))
    names = []
    for name in paper:
        name = (name or "").strip()
        if len(name) > 255:
            raise _invalid("paper_recipients", _("Tên nơi nhận dài quá 255 ký tự."))
        if name and name not in names:
            names.append(name)
    if any(a.pk == document.agency_id for a in agencies):
        raise _invalid("agencies", _("Cơ quan không gửi văn bản cho chính mình qua trục liên thông."))
    document.recipients.all().delete()
    Recipient.objects.bulk_create(
        [
            Recipient(document=document, agency=a, organ_id=a.code, name=a.name, channel=Channel.ELECTRONIC)
            for a in agencies
        ]
        + [Recipient(document=document, name=n, channel=Channel.PAPER) for n in names]
    )


def store_file(
    document: OfficialDocument,
    *,
    kind: str,
    name: str,
    content: bytes,
    content_type: str,
    extension: str = "",
    actor: User | None = None,
    signed_by: str = "",
) -> DocumentFile:
    row = DocumentFile(
        document=document,
        kind=kind,
        name=name[:255],
        content_type=content_type[:100],
        extension=extension or ("." + name.rsplit(".", 1)[-1][:8] if "." in name else ""),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        uploaded_at=clock.now(),
        signed_by=signed_by[:255],
    )
    row.file.save(name, ContentFile(content), save=False)
    row.save()
    return row


def _store_upload(
    document: OfficialDocument, upload: IO[bytes], name: str, kind: str, actor: User | None
) -> DocumentFile:
    checked = check_upload(upload, name)
    upload.seek(0)
    return store_file(
        document,
        kind=kind,
        name=checked.name,
        content=upload.read(),
        content_type=checked.content_type,
        extension=checked.extension,
        actor=actor,
    )


# -- outgoing ---------------------------------------------------------------------------------------------


def create_draft(
    *,
    actor: User,
    agency: Agency,
    draft: Draft,
    body_file: IO[bytes] | None = None,
    body_file_name: str = "",
    answers: OfficialDocument | None = None,
) -> OfficialDocument:
    """A new outgoing draft of ``agency`` by ``actor`` (a specialist, the clerk or a leader there)."""
    if not rules.may_draft(actor, agency):
        raise NotAllowed(_("Ông/bà không có quyền soạn thảo văn bản của cơ quan này."))
    now = clock.now()
    with transaction.atomic():
        document = OfficialDocument(
            direction=Direction.OUTGOING,
            agency=agency,
            status=Status.DRAFT,
            author=actor,
            answers=answers,
            created_at=now,
            updated_at=now,
        )
        _apply_draft(document, draft)
        if not document.body and body_file is None:
            raise _invalid("body", _("Vui lòng nhập nội dung hoặc đính kèm tệp nội dung."))
        document.save()
        _set_recipients(document, draft.agencies, draft.paper_recipients)
        data: dict[str, Any] = {}
        if body_file is not None:
            data["file"] = _store_upload(
                document, body_file, body_file_name or "noi-dung.pdf", FileKind.BODY, actor
            ).pk
        if answers is not None:
            data["answers"] = answers.pk
        _append(document, actor, ActionType.CREATE, "", now, "", data)
    return document


def update_draft(
    document: OfficialDocument,
    *,
    actor: User,
    draft: Draft,
    body_file: IO[bytes] | None = None,
    body_file_name: str = "",
    expected_revision: int | None = None,
) -> OfficialDocument:
    with acting(document, actor, ActionType.EDIT, expected_revision=expected_revision) as change:
        row = change.document
        _apply_draft(row, draft)
        if body_file is not None:
            row.files.filter(kind=FileKind.BODY).delete()
            change.data["file"] = _store_upload(
                row, body_file, body_file_name or "noi-dung.pdf", FileKind.BODY, actor
            ).pk
        if not row.body and not row.files.filter(kind=FileKind.BODY).exists():
            raise _invalid("body", _("Vui lòng nhập nội dung hoặc đính kèm tệp nội dung."))
        _set_recipients(row, draft.agencies, draft.paper_recipients)
    return document


def submit_for_review(
    document: OfficialDocument,
    *,
    actor: User,
    reviewers: Iterable[User],
    note: str = "",
    expected_revision: int | None = None,
) -> OfficialDocument:
    """Ask one or more officers of the agency for their opinion (a new round: older ones lapse)."""
    with acting(document, actor, ActionType.SUBMIT_REVIEW, expected_revision=expected_revision) as change:
        row = change.document
        people = list(dict.fromkeys(reviewers))
        if not people:
            raise _invalid("reviewers", _("Chọn ít nhất một người xem xét."))
        staff = set(selectors.staff_of(row.agency_id).values_list("pk", flat=True))
        if any(p.pk not in staff for p in people):
            raise _invalid("reviewers", _("Người xem xét phải là cán bộ của cơ quan."))
        row.reviews.filter(decision=ReviewDecision.PENDING).update(decision=ReviewDecision.SUPERSEDED)
        Review.objects.bulk_create([Review(document=row, reviewer=p, asked_at=change.now) for p in people])
        change.note = (note or "").strip()[:2000]
        change.data["reviewers"] = [p.pk for p in people]
    return document


def approve_review(
    document: OfficialDocument, *, actor: User, note: str = "", expected_revision: int | None = None
) -> OfficialDocument:
    """A reviewer agrees; the draft is approved (to be signed) when no opinion is awaited any more."""
    with acting(document, actor, ActionType.APPROVE_REVIEW, expected_revision=expected_revision) as change:
        row = change.document
        row.reviews.filter(reviewer=actor, decision=ReviewDecision.PENDING).update(
            decision=ReviewDecision.APPROVED, note=(note or "").strip()[:2000], decided_at=change.now
        )
        change.note = (note or "").strip()[:2000]
        if not row.reviews.filter(decision=ReviewDecision.PENDING).exists():
            row.status = Status.APPROVED
    return document


def return_draft(
    document: OfficialDocument, *, actor: User, note: str, expected_revision: int | None = None
) -> OfficialDocument:
    """A reviewer (or a leader) sends the draft back to be changed, saying why."""
    with acting(document, actor, ActionType.RETURN_DRAFT, expected_revision=expected_revision) as change:
        row = change.document
        change.note = _text(note, "note", _("lý do trả lại"), limit=2000)
        row.reviews.filter(reviewer=actor, decision=ReviewDecision.PENDING).update(
            decision=ReviewDecision.RETURNED, note=change.note, decided_at=change.now
        )
        row.reviews.filter(decision=ReviewDecision.PENDING).update(decision=ReviewDecision.SUPERSEDED)
    return document


def sign(
    document: OfficialDocument, *, actor: User, expected_revision: int | None = None
) -> OfficialDocument:
    """The leader signs the approved draft: laid out without number and date (the clerk gives them),
    signed with the leader's certificate where signing is configured.

    With a key kept here the document is signed at once. With a remote certificate (VNPT SmartCA-style)
    the draft is prepared and a request recorded under the row lock (the document waits:
    AWAITING_SIGNATURE, and the rule table offers nothing else meanwhile); after the commit the hash
    goes to the service, outside the lock; the leader confirms on their phone and ``poll_signature``
    (the task worker, or the page's "check now") completes it. A service that cannot be reached puts
    the document back to be signed, and the leader is told why (WrongState)."""
    request = None
    with acting(document, actor, ActionType.SIGN, expected_revision=expected_revision) as change:
        row = change.document
        row.signer = actor
        if not row.signer_name:
            row.signer_name = actor.full_name or actor.username
        digital = signatures.enabled()
        pdf = rendering.render(row, with_number=False, reserve_issue_box=digital)
        certificate = signatures.leader_certificate(actor, change.now) if digital else None
        if certificate is not None and signatures.is_remote(certificate):
            request = _claim_remote(row, actor, pdf, certificate, change)
        else:
            signer_name = ""
            if certificate is not None:
                pdf = signatures.sign_by_leader(row, pdf, actor, change.now)
                signer_name = actor.full_name or actor.username
            row.status = Status.SIGNED
            stored = _store_signed(row, pdf, signer_name=signer_name, digital=digital, actor=actor)
            change.data.update(file=stored.pk, digital=digital)
    if request is not None:
        _send_remote(request, document)
    return document


def _store_signed(
    row: OfficialDocument, pdf: bytes, *, signer_name: str, digital: bool, actor: User | None
) -> DocumentFile:
    row.signed_digitally = digital
    row.files.filter(kind=FileKind.SIGNED).delete()
    return store_file(
        row,
        kind=FileKind.SIGNED,
        name=f"van-ban-{row.pk}-da-ky.pdf",
        content=pdf,
        content_type="application/pdf",
        actor=actor,
        signed_by=signer_name,
    )


# A request not yet answered by the service expires after this; its answer gives the real expiry.
CLAIM_SECONDS = 600


def _claim_remote(
    row: OfficialDocument, actor: User, pdf: bytes, certificate: Certificate, change: Change
) -> SigningRequest:
    """Under the document's lock: the draft prepared for the remote signer and the request recorded
    (one waiting request per document, a unique constraint), the document awaiting the signer."""
    prepared = signatures.prepare_remote(signatures.leader_job(row, pdf, actor, change.now, certificate))
    request = SigningRequest.objects.create(
        document=row,
        certificate=certificate,
        signer=actor,
        transaction_id=uuid.uuid4().hex,
        prepared_pdf=prepared.pdf,
        prepared=pades.prepared_to_json(prepared),
        to_be_signed=prepared.to_be_signed.hex(),
        created_at=change.now,
        expires_at=change.now + datetime.timedelta(seconds=CLAIM_SECONDS),
    )
    row.status = Status.AWAITING_SIGNATURE
    change.note = _("Đã gửi yêu cầu ký đến ứng dụng ký số từ xa của %(name)s.") % {
        "name": actor.full_name or actor.username
    }
    change.data.update(request=request.pk, transaction=request.transaction_id, remote=True)
    return request


def _send_remote(request: SigningRequest, document: OfficialDocument) -> None:
    """After the claim's commit, outside the row lock: the hash goes to the service; its answer is
    recorded on the request (or, refused, the document goes back to be signed)."""
    try:
        started = signatures.send_remote(request, document)
    except smartca.SmartCAError as exc:
        message = _("Không gửi được yêu cầu ký số từ xa: %(reason)s") % {"reason": str(exc)}
        _record_outcome(request.pk, signers.Outcome(RequestState.FAILED, message=message), clock.now())
        document.refresh_from_db()
        raise WrongState(message) from None
    with transaction.atomic():
        row = SigningRequest.objects.select_for_update().get(pk=request.pk)
        if row.state == RequestState.WAITING:
            row.provider_reference = started.tran_code[:100]
            row.expires_at = row.created_at + datetime.timedelta(seconds=started.expires_in)
            row.save(update_fields=["provider_reference", "expires_at"])
            schedule_poll(row)
    request.refresh_from_db()
    document.refresh_from_db()


def schedule_poll(request: SigningRequest, attempt: int = 0) -> bool:
    """Ask the task worker to poll ``request`` again, later each time (5 s, 10 s, 20 s … at most a
    minute); False where the task backend cannot defer (the tests' immediate backend)."""
    from motcua.documents.tasks import poll_document_signature

    if not poll_document_signature.get_backend().supports_defer:
        return False
    delay = min(signing_conf.remote_poll_seconds() * 2 ** min(attempt, 6), MAX_POLL_SECONDS)
    when = clock.now() + datetime.timedelta(seconds=delay)
    transaction.on_commit(
        lambda: poll_document_signature.using(run_after=when).enqueue(request.pk, attempt + 1)
    )
    return True


MAX_POLL_SECONDS = 60

_ENDED: dict[str, Callable[[], str]] = {
    RequestState.REFUSED: lambda: _(
        "Người ký đã từ chối ký trên ứng dụng ký số. Văn bản trở lại trạng thái chờ ký; có thể ký lại."
    ),
    RequestState.EXPIRED: lambda: _(
        "Yêu cầu ký số đã hết hạn mà người ký chưa xác nhận. Văn bản trở lại trạng thái chờ ký; "
        "có thể ký lại."
    ),
}


def poll_signature(request: SigningRequest, *, now: datetime.datetime | None = None) -> str:
    """Ask the remote-signing service about a document's waiting request (outside any lock), then
    record the answer under the document's and the request's locks, once even if two polls ran
    together: confirmed, the signed PDF is stored and the document is SIGNED; refused, expired or
    failed, it goes back to APPROVED with the reason. Returns the request's state."""
    now = now or clock.now()
    row = SigningRequest.objects.select_related("certificate").get(pk=request.pk)
    if row.state != RequestState.WAITING or row.document_id is None:
        return row.state
    outcome = signatures.poll_remote(row, now)
    state = _record_outcome(row.pk, outcome, now)
    request.refresh_from_db()
    return state


def _record_outcome(request_id: int, outcome: signers.Outcome, now: datetime.datetime) -> str:
    with transaction.atomic():
        document_id = SigningRequest.objects.values_list("document_id", flat=True).get(pk=request_id)
        OfficialDocument.objects.select_for_update().get(pk=document_id)  # the document first, as acting
        row = (
            SigningRequest.objects.select_for_update(of=("self",))
            .select_related("signer", "certificate")
            .get(pk=request_id)
        )
        if row.state != RequestState.WAITING:  # another poll recorded it
            return row.state
        row.polled_at = now
        if outcome.state == RequestState.WAITING:
            row.save(update_fields=["polled_at"])
            return row.state
        signed = outcome.state == RequestState.SIGNED and outcome.pdf is not None
        # "Signed" without the completed PDF is a failure.
        failed = outcome.state == RequestState.SIGNED and not signed
        row.state = RequestState.FAILED if failed else outcome.state
        row.finished_at = now
        row.note = (outcome.message or "")[:500]
        row.save(update_fields=["state", "finished_at", "polled_at", "note"])
        if signed:
            with acting(document_id, None, ActionType.SIGNATURE_CONFIRMED) as change:
                change.now = now
                signer = row.signer
                name = (signer.full_name or signer.username) if signer else row.certificate.subject
                assert outcome.pdf is not None
                stored = _store_signed(
                    change.document, outcome.pdf, signer_name=name, digital=True, actor=signer
                )
                change.data.update(file=stored.pk, digital=True, request=row.pk, signer=name)
        else:
            reason = (
                _ENDED[row.state]()
                if row.state in _ENDED
                else (
                    _("Ký số từ xa không thành công: %(reason)s")
                    % {"reason": row.note or row.get_state_display()}
                )
            )
            with acting(document_id, None, ActionType.SIGNATURE_FAILED) as change:
                change.now = now
                change.document.signer = None
                change.note = reason
                change.data.update(request=row.pk, state=row.state)
        return row.state


def check_signature(document: OfficialDocument, *, actor: User, expected_revision: int | None = None) -> str:
    """The page's "check now": the leader (or the clerk) asks whether the remote signer confirmed,
    without waiting for the task worker's next poll. Returns the request's state."""
    rules.check(ActionType.CHECK_SIGNATURE, actor, rules.Facts(document, actor))
    request = selectors.waiting_signature(document)
    if request is None:  # recorded meanwhile
        document.refresh_from_db()
        return ""
    state = poll_signature(request)
    document.refresh_from_db()
    return state


def _register_issued(row: OfficialDocument, pdf: bytes, signer: str, now: datetime.datetime) -> None:
    IssuedDocument.objects.get_or_create(
        sha256=hashlib.sha256(pdf).hexdigest(),
        defaults={
            "kind": DocumentKind.OFFICIAL_DOCUMENT,
            "reference": f"{row.notation} · {row.agency.name}"[:120],
            "signer": signer[:255],
            "signed_at": now if signer else None,
            "size": len(pdf),
            "registered_at": now,
        },
    )


def issue(
    document: OfficialDocument, *, actor: User, expected_revision: int | None = None
) -> OfficialDocument:
    """The clerk issues a signed document: its number comes from the outgoing register's counter for
    the year (under the counter row's lock, held until this transaction commits: the number and the
    issued PDF commit together, so a failure leaves no gap), its notation and date are set, the
    agency's signature stamps them on the PDF, and the PDF is entered in the register of issued
    documents (so that /xac-thuc/ recognises it)."""
    with acting(document, actor, ActionType.ISSUE, expected_revision=expected_revision) as change:
        row = change.document
        register = change.facts.register
        assert register is not None  # rules.HAS_REGISTER
        signed = row.files.filter(kind=FileKind.SIGNED).order_by("-id").first()
        if signed is None:
            raise InvalidInput(_("Văn bản chưa có bản đã ký."))
        with signed.file.open("rb") as handle:
            signed_pdf = handle.read()
        today = clock.localdate()
        row.register = register
        row.year = today.year
        row.number = numbering.next_number(register.pk, today.year)
        row.notation = numbering.notation(
            row.number, row.document_type.abbreviation, register.agency_abbreviation, row.unit_abbreviation
        )
        row.issued_on = today
        signers = signed.signed_by
        if row.signed_digitally:
            pdf = signatures.seal_at_issue(row, signed_pdf, change.now)
            signers = f"{signed.signed_by}; {row.agency.name}"
        else:
            pdf = rendering.render(row, with_number=True)
        stored = store_file(
            row,
            kind=FileKind.ISSUED,
            name=f"{row.notation.replace('/', '-')}.pdf",
            content=pdf,
            content_type="application/pdf",
            actor=actor,
            signed_by=signers if row.signed_digitally else "",
        )
        _register_issued(row, pdf, signers if row.signed_digitally else "", change.now)
        change.data.update(
            number=row.number, notation=row.notation, year=row.year, register=register.pk, file=stored.pk
        )
    return document


def send(
    document: OfficialDocument, *, actor: User, expected_revision: int | None = None
) -> OfficialDocument:
    """Send an issued document: to agencies on the exchange electronically (motcua.exchange delivers
    them, on ``events.document_issued``), to the others on paper (marked sent now)."""
    with acting(document, actor, ActionType.SEND, expected_revision=expected_revision) as change:
        row = change.document
        channels = set()
        for recipient in row.recipients.all():
            channels.add(recipient.channel)
            if recipient.channel == Channel.PAPER:
                recipient.state = DeliveryState.SENT
                recipient.sent_at = change.now
                recipient.save(update_fields=["state", "sent_at"])
        change.data["channels"] = sorted(channels)
        change.data["recipients"] = list(row.recipients.values_list("pk", flat=True))
        if row.replaces_id:
            change.data.update(replaces=row.replaces_id, requested_by=actor.pk)
    return document


# -- a sent document changed by its sender (edXML business types 1, 2, 3) --------------------------------


def _reason(reason: str | None, label: str) -> str:
    return _text(reason, "reason", label, limit=400)


def recall_sent(
    document: OfficialDocument, *, actor: User, reason: str, expected_revision: int | None = None
) -> OfficialDocument:
    """The leader or the clerk asks the electronic recipients to recall a sent document (business
    type 1, sent by motcua.exchange on ``events.document_resent``); each answers 15 and 13, or 16."""
    with acting(document, actor, ActionType.RECALL_SENT, expected_revision=expected_revision) as change:
        change.note = _reason(reason, _("lý do thu hồi"))
        change.data.update(business="recall", reason=change.note, requested_by=actor.pk)
    return document


@dataclass
class Correction:
    """What an update of a sent document may change (its signed text stays as issued)."""

    summary: str
    urgency: str = Urgency.NORMAL
    due_on: datetime.date | None = None


def _corrected(row: OfficialDocument, correction: Correction) -> dict[str, list]:
    proposed = {
        "summary": _text(correction.summary, "summary", _("trích yếu nội dung"), limit=500),
        "urgency": _choice(correction.urgency, Urgency, "urgency", Urgency.NORMAL),
        "due_on": correction.due_on,
    }
    changes = {}
    for name in AMENDABLE_FIELDS:
        current, new = getattr(row, name), proposed[name]
        if current != new:
            changes[name] = [_plain(current), _plain(new)]
            setattr(row, name, new)
    return changes


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def update_sent(
    document: OfficialDocument,
    *,
    actor: User,
    reason: str,
    correction: Correction,
    expected_revision: int | None = None,
) -> OfficialDocument:
    """The leader or the clerk corrects the details of a sent document (summary, urgency, deadline)
    and sends them to the electronic recipients (business type 2); each accepts (15) or refuses (16)."""
    with acting(document, actor, ActionType.UPDATE_SENT, expected_revision=expected_revision) as change:
        row = change.document
        change.note = _reason(reason, _("lý do cập nhật"))
        changes = _corrected(row, correction)
        if not changes:
            raise _invalid("summary", _("Chưa có thông tin nào thay đổi so với văn bản đã gửi."))
        change.data.update(business="update", reason=change.note, requested_by=actor.pk, changes=changes)
    return document


def start_replacement(
    document: OfficialDocument, *, actor: User, reason: str, expected_revision: int | None = None
) -> OfficialDocument:
    """The leader or the clerk starts a new document that replaces a sent one: a draft with the same
    components and recipients, which is reviewed, signed and issued with its own number, and sent as
    a replacement (business type 3, naming the replaced one). Returns the draft."""
    with acting(document, actor, ActionType.REPLACE_SENT, expected_revision=expected_revision) as change:
        row = change.document
        change.note = _reason(reason, _("lý do thay thế"))
        now = change.now
        draft = OfficialDocument.objects.create(
            direction=Direction.OUTGOING,
            agency=row.agency,
            status=Status.DRAFT,
            document_type=row.document_type,
            unit_abbreviation=row.unit_abbreviation,
            summary=row.summary,
            body=row.body,
            place=row.place,
            urgency=row.urgency,
            confidentiality=row.confidentiality,
            signer_title=row.signer_title,
            signer_name=row.signer_name,
            due_on=row.due_on,
            dossier=row.dossier,
            answers=row.answers,
            replaces=row,
            replace_reason=change.note,
            author=actor,
            created_at=now,
            updated_at=now,
        )
        Recipient.objects.bulk_create(
            [
                Recipient(
                    document=draft, agency=r.agency, organ_id=r.organ_id, name=r.name, channel=r.channel
                )
                for r in row.recipients.order_by("id")
            ]
        )
        for f in row.files.filter(kind__in=(FileKind.BODY, FileKind.ATTACHMENT)).order_by("id"):
            with f.file.open("rb") as handle:
                store_file(
                    draft,
                    kind=f.kind,
                    name=f.name,
                    content=handle.read(),
                    content_type=f.content_type,
                    extension=f.extension,
                    actor=actor,
                )
        _append(draft, actor, ActionType.CREATE, "", now, change.note, {"replaces": row.pk})
        change.data.update(replacement=draft.pk, reason=change.note)
    return draft


def record_delivery(
    recipient: Recipient,
    *,
    state: str = "",
    status_code: str = "",
    description: str = "",
    at: datetime.datetime | None = None,
) -> Recipient:
    """What motcua.exchange learnt about a recipient of a sent document: delivered or failed, and the
    status messages it sends back (03 received, 04 assigned … 06 done). A line in the history."""
    with acting(recipient.document_id, None, ActionType.REMOTE_STATUS) as change:
        row = Recipient.objects.select_for_update().get(pk=recipient.pk)
        when = at or change.now
        fields = []
        if state:
            row.state = _choice(state, DeliveryState, "state", DeliveryState.SENT)
            fields.append("state")
            if state == DeliveryState.SENT and row.sent_at is None:
                row.sent_at = when
                fields.append("sent_at")
        if status_code:
            row.status_code = status_code[:2]
            row.status_at = when
            fields += ["status_code", "status_at"]
            if row.state in (DeliveryState.PENDING, DeliveryState.SENT):
                row.state = DeliveryState.DELIVERED
                fields.append("state")
        row.save(update_fields=list(dict.fromkeys(fields)))
        change.note = (description or "")[:2000]
        change.data.update(recipient=row.pk, organ_id=row.organ_id, state=row.state, status_code=status_code)
    recipient.refresh_from_db()
    return recipient


# -- incoming ---------------------------------------------------------------------------------------------


@dataclass
class Incoming:
    """An incoming document as the exchange parsed it (edXML MessageHeader) or the clerk typed it."""

    document_type: DocumentType | None
    summary: str
    sender_name: str
    sender_organ_id: str = ""
    sender_notation: str = ""
    sender_date: datetime.date | None = None
    body: str = ""
    place: str = ""
    signer_title: str = ""
    signer_name: str = ""
    urgency: str = Urgency.NORMAL
    confidentiality: str = Confidentiality.NORMAL
    due_on: datetime.date | None = None
    exchange_id: str = ""
    answers: OfficialDocument | None = None
    dossier: Dossier | None = None
    replaces: OfficialDocument | None = None


@dataclass(frozen=True)
class IncomingFile:
    name: str
    content_type: str
    content: bytes


def receive_incoming(
    *,
    agency: Agency,
    incoming: Incoming,
    attachments: Iterable[IncomingFile] = (),
    actor: User | None = None,
    electronically: bool = True,
    received_at: datetime.datetime | None = None,
) -> OfficialDocument:
    """An incoming document for ``agency``: from the exchange (``actor`` None, the system) or from
    paper (the clerk). It waits to be entered in the incoming register."""
    if not rules.may_receive(actor, agency):
        raise NotAllowed(_("Ông/bà không có quyền tiếp nhận văn bản đến của cơ quan này."))
    if incoming.document_type is None:
        raise _invalid("document_type", _("Vui lòng chọn loại văn bản."))
    now = clock.now()
    with transaction.atomic():
        document = OfficialDocument(
            direction=Direction.INCOMING,
            agency=agency,
            status=Status.RECEIVED,
            document_type=incoming.document_type,
            summary=_text(incoming.summary, "summary", _("trích yếu nội dung"), limit=500),
            body=(incoming.body or "")[:100_000],
            place=(incoming.place or "")[:100],
            signer_title=(incoming.signer_title or "")[:120],
            signer_name=(incoming.signer_name or "")[:120],
            urgency=_choice(incoming.urgency, Urgency, "urgency", Urgency.NORMAL),
            confidentiality=_choice(
                incoming.confidentiality, Confidentiality, "confidentiality", Confidentiality.NORMAL
            ),
            sender_organ_id=(incoming.sender_organ_id or "")[:35],
            sender_name=_text(incoming.sender_name, "sender_name", _("nơi gửi"), limit=255),
            sender_notation=_text(
                incoming.sender_notation, "sender_notation", _("số, ký hiệu"), limit=60, required=False
            ),
            sender_date=incoming.sender_date,
            due_on=incoming.due_on,
            exchange_id=(incoming.exchange_id or "")[:200],
            answers=incoming.answers,
            dossier=incoming.dossier,
            replaces=incoming.replaces,
            received_at=received_at or now,
            received_electronically=electronically,
            created_at=now,
            updated_at=now,
        )
        document.save()
        files = [
            store_file(
                document,
                kind=FileKind.ATTACHMENT,
                name=f.name,
                content=f.content,
                content_type=f.content_type,
                actor=actor,
            ).pk
            for f in attachments
        ]
        _append(
            document,
            actor,
            ActionType.RECEIVE,
            "",
            now,
            "",
            {"files": files, "electronic": electronically, "sender": document.sender_organ_id},
        )
    return document


def register_paper(
    *, actor: User, agency: Agency, incoming: Incoming, scan: IO[bytes] | None, scan_name: str = ""
) -> OfficialDocument:
    """The clerk registers a paper document with its scan (checked like every upload): received and
    entered in the incoming register at once."""
    if scan is None:
        raise _invalid("scan", _("Vui lòng đính kèm bản quét văn bản."))
    with transaction.atomic():
        checked = check_upload(scan, scan_name or "ban-quet.pdf")
        scan.seek(0)
        document = receive_incoming(
            agency=agency,
            incoming=incoming,
            attachments=[IncomingFile(checked.name, checked.content_type, scan.read())],
            actor=actor,
            electronically=False,
        )
        document.files.filter(kind=FileKind.ATTACHMENT).update(kind=FileKind.SCAN)
        register_incoming(document, actor=actor)
    return document


def _status(change: Change, action: ActionType, description: str = "") -> None:
    """An incoming step that its sender is told of (edXML status code)."""
    change.data["status_code"] = STATUS_CODES[action]
    change.data["status_description"] = str(description or action.label)


def register_incoming(
    document: OfficialDocument, *, actor: User, expected_revision: int | None = None
) -> OfficialDocument:
    """The clerk enters the document in the incoming register (its incoming number, số đến)."""
    with acting(document, actor, ActionType.REGISTER, expected_revision=expected_revision) as change:
        row = change.document
        register = change.facts.register
        assert register is not None
        year = clock.localdate().year
        row.register, row.year = register, year
        row.number = numbering.next_number(register.pk, year)
        change.data.update(number=row.number, year=year, register=register.pk)
        _status(
            change,
            ActionType.REGISTER,
            str(_("Đã tiếp nhận, vào sổ văn bản đến số %(n)s")) % {"n": numbering.format_number(row.number)},
        )
    return document


def refuse(
    document: OfficialDocument, *, actor: User, note: str, expected_revision: int | None = None
) -> OfficialDocument:
    with acting(document, actor, ActionType.REFUSE, expected_revision=expected_revision) as change:
        change.note = _text(note, "note", _("lý do từ chối"), limit=2000)
        _status(change, ActionType.REFUSE, change.note)
    return document


def assign(
    document: OfficialDocument,
    *,
    actor: User,
    officer: User | None,
    due_on: datetime.date | None,
    department: Agency | None = None,
    note: str = "",
    expected_revision: int | None = None,
) -> OfficialDocument:
    """A leader gives the document to a department and an officer, with a deadline."""
    with acting(document, actor, ActionType.ASSIGN, expected_revision=expected_revision) as change:
        row = change.document
        if officer is None:
            raise _invalid("officer", _("Vui lòng chọn người xử lý."))
        if due_on is None:
            raise _invalid("due_on", _("Vui lòng nhập hạn xử lý."))
        if due_on < clock.localdate():
            raise _invalid("due_on", _("Hạn xử lý không được trước ngày hôm nay."))
        units = {a.pk for a in selectors.departments_of(row.agency)}
        if department is not None and department.pk not in units:
            raise _invalid("department", _("Đơn vị xử lý phải là cơ quan hoặc đơn vị trực thuộc."))
        staff = set(selectors.staff_of(row.agency_id).values_list("pk", flat=True))
        if department is not None:
            staff |= set(selectors.staff_of(department.pk).values_list("pk", flat=True))
        if officer.pk not in staff:
            raise _invalid("officer", _("Người xử lý phải là cán bộ của cơ quan hoặc đơn vị xử lý."))
        Assignment.objects.create(
            document=row,
            department=department,
            officer=officer,
            due_on=due_on,
            note=(note or "").strip()[:2000],
            assigned_by=actor,
            assigned_at=change.now,
        )
        row.handler, row.department, row.due_on = officer, department, due_on
        change.note = (note or "").strip()[:2000]
        change.data.update(
            officer=officer.pk, department=department.pk if department else None, due_on=due_on.isoformat()
        )
        _status(
            change,
            ActionType.ASSIGN,
            str(_("Đã phân công %(name)s xử lý")) % {"name": officer.full_name or officer.username},
        )
    return document


def start_processing(
    document: OfficialDocument, *, actor: User, expected_revision: int | None = None
) -> OfficialDocument:
    with acting(document, actor, ActionType.START_PROCESSING, expected_revision=expected_revision) as change:
        _status(change, ActionType.START_PROCESSING)
    return document


def answer(
    document: OfficialDocument,
    *,
    actor: User,
    draft: Draft,
    body_file: IO[bytes] | None = None,
    body_file_name: str = "",
    expected_revision: int | None = None,
) -> OfficialDocument:
    """Answer an incoming document with an outgoing one: a new draft that answers it (sent back to its
    sender electronically when the sender is on the exchange); the incoming one is marked answered.
    Returns the draft."""
    with acting(document, actor, ActionType.ANSWER, expected_revision=expected_revision) as change:
        row = change.document
        if not list(draft.agencies) and not list(draft.paper_recipients):
            sender = Agency.objects.filter(code=row.sender_organ_id).first() if row.sender_organ_id else None
            if sender is not None:
                draft.agencies = [sender]
            elif row.sender_name:
                draft.paper_recipients = [row.sender_name]
        if draft.dossier is None:
            draft.dossier = row.dossier
        reply = create_draft(
            actor=actor,
            agency=row.agency,
            draft=draft,
            body_file=body_file,
            body_file_name=body_file_name,
            answers=row,
        )
        change.data["answer"] = reply.pk
    return reply


def close(
    document: OfficialDocument, *, actor: User, note: str = "", expected_revision: int | None = None
) -> OfficialDocument:
    with acting(document, actor, ActionType.CLOSE, expected_revision=expected_revision) as change:
        change.note = (note or "").strip()[:2000]
        _status(change, ActionType.CLOSE)
    return document


def recall(document: OfficialDocument, *, reason: str = "") -> OfficialDocument:
    """The sender recalled the document (edXML business type 1) and the exchange accepted it."""
    with acting(document, None, ActionType.RECALL) as change:
        change.note = (reason or "").strip()[:2000]
    return document


# -- an incoming document its sender updates or replaces ---------------------------------------------------


def ask_amendment(
    document: OfficialDocument,
    *,
    kind: str,
    reason: str = "",
    changes: dict | None = None,
    replacement: OfficialDocument | None = None,
    staff: str = "",
) -> Amendment:
    """The sender asks (through the exchange, by the system) to update an incoming document's details
    or to replace it by ``replacement`` (already filed): the clerk or a leader decides. An earlier
    request still pending is superseded."""
    with acting(document, None, ActionType.AMENDMENT_ASKED) as change:
        row = change.document
        row.amendments.filter(state=AmendmentState.PENDING).update(state=AmendmentState.SUPERSEDED)
        amendment = Amendment.objects.create(
            document=row,
            kind=_choice(kind, AmendmentKind, "kind", AmendmentKind.UPDATE),
            reason=(reason or "")[:1000],
            changes=changes or {},
            replacement=replacement,
            staff=(staff or "")[:255],
            asked_at=change.now,
        )
        change.note = amendment.reason
        change.data.update(amendment=amendment.pk, kind=amendment.kind)
        if replacement is not None:
            change.data["replacement"] = replacement.pk
    return amendment


def proposed_changes(document: OfficialDocument, proposed: dict[str, Any]) -> dict[str, list]:
    """``{field: [current, proposed]}`` for the fields an update may change that differ."""
    changes = {}
    for name in AMENDABLE_FIELDS:
        if name not in proposed:
            continue
        current, new = _plain(getattr(document, name)), _plain(proposed[name])
        if current != new:
            changes[name] = [current, new]
    return changes


def _apply_changes(row: OfficialDocument, changes: dict[str, list]) -> None:
    for name, (_current, new) in changes.items():
        if name not in AMENDABLE_FIELDS:
            continue
        if name == "due_on":
            new = datetime.date.fromisoformat(new) if new else None
        elif name == "urgency":
            new = _choice(new, Urgency, "urgency", Urgency.NORMAL)
        elif name == "summary":
            new = (new or row.summary)[:500]
        setattr(row, name, new)


def accept_amendment(
    document: OfficialDocument, *, actor: User, note: str = "", expected_revision: int | None = None
) -> OfficialDocument:
    """The clerk or a leader accepts the sender's pending request (15 back to the sender): an update's
    details are applied; for a replacement, this document is marked replaced by the new one."""
    with acting(document, actor, ActionType.ACCEPT_AMENDMENT, expected_revision=expected_revision) as change:
        row = change.document
        amendment = change.facts.pending_amendment
        assert amendment is not None  # rules.AMENDMENT_PENDING
        amendment.state, amendment.decided_by, amendment.decided_at = (
            AmendmentState.ACCEPTED,
            actor,
            change.now,
        )
        amendment.note = (note or "").strip()[:2000]
        amendment.save(update_fields=["state", "decided_by", "decided_at", "note"])
        change.note = amendment.note
        change.data.update(amendment=amendment.pk, kind=amendment.kind)
        if amendment.kind == AmendmentKind.UPDATE:
            _apply_changes(row, amendment.changes)
            change.data["changes"] = amendment.changes
            described = _("Đồng ý cập nhật thông tin văn bản")
        else:
            row.status = Status.REPLACED
            new = amendment.replacement
            change.data["replacement"] = new.pk if new is not None else None
            described = _("Đồng ý thay thế bằng văn bản %(code)s") % {
                "code": new.sender_notation if new is not None else ""
            }
        _status(change, ActionType.ACCEPT_AMENDMENT, str(described))
    return document


def refuse_amendment(
    document: OfficialDocument, *, actor: User, note: str, expected_revision: int | None = None
) -> OfficialDocument:
    """The clerk or a leader refuses the sender's pending request, saying why (16 back to the sender):
    the document stays as it is; a replacement that was filed is marked refused."""
    with acting(document, actor, ActionType.REFUSE_AMENDMENT, expected_revision=expected_revision) as change:
        amendment = change.facts.pending_amendment
        assert amendment is not None  # rules.AMENDMENT_PENDING
        change.note = _text(note, "note", _("lý do từ chối"), limit=2000)
        amendment.state, amendment.decided_by, amendment.decided_at = (
            AmendmentState.REFUSED,
            actor,
            change.now,
        )
        amendment.note = change.note
        amendment.save(update_fields=["state", "decided_by", "decided_at", "note"])
        change.data.update(amendment=amendment.pk, kind=amendment.kind)
        _status(change, ActionType.REFUSE_AMENDMENT, change.note)
        new = amendment.replacement
        if new is not None:
            # The replacement is not taken: it leaves the incoming documents to deal with, quietly
            # (the 16 about the replaced document is the sender's answer).
            replacement = OfficialDocument.objects.select_for_update().get(pk=new.pk)
            if replacement.status in rules.CHANGEABLE:
                before = replacement.status
                replacement.status = Status.REFUSED
                _append(
                    replacement,
                    actor,
                    ActionType.REFUSE_AMENDMENT,
                    before,
                    change.now,
                    change.note,
                    {"amendment": amendment.pk, "replaces": document.pk},
                )
            change.data["replacement"] = new.pk
    return document


# Every action a page or the API may take, by name, with the keyword arguments it accepts.
ACTIONS = {
    ActionType.SUBMIT_REVIEW: submit_for_review,
    ActionType.APPROVE_REVIEW: approve_review,
    ActionType.RETURN_DRAFT: return_draft,
    ActionType.SIGN: sign,
    ActionType.CHECK_SIGNATURE: check_signature,
    ActionType.ISSUE: issue,
    ActionType.SEND: send,
    ActionType.REGISTER: register_incoming,
    ActionType.REFUSE: refuse,
    ActionType.ASSIGN: assign,
    ActionType.START_PROCESSING: start_processing,
    ActionType.CLOSE: close,
    ActionType.ACCEPT_AMENDMENT: accept_amendment,
    ActionType.REFUSE_AMENDMENT: refuse_amendment,
}
