"""Official documents as edXML: the package of an outgoing document (new, recall, update, replace) and
the status messages of an incoming one, each built, signed by the agency, validated and queued per
recipient on the exchange (services.queue, in the caller's transaction)."""

import datetime
import logging

from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core import clock
from motcua.documents.constants import Channel, FileKind, Urgency
from motcua.documents.models import DocumentAction, OfficialDocument, Recipient
from motcua.dossiers.errors import InvalidInput
from motcua.exchange import edxml, services
from motcua.exchange.constants import BusinessType, Direction, MessageType, StatusCode, Transport
from motcua.exchange.models import Package, StatusMessage

logger = logging.getLogger(__name__)

PRIORITY = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.VERY_URGENT: 2, Urgency.FLASH: 3}
URGENCY = {v: k for k, v in PRIORITY.items()} | {4: Urgency.FLASH}
# DocumentType/Type: 1 legal document (văn bản quy phạm pháp luật), 2 administrative document.
ADMINISTRATIVE = "2"


def code_of(document: OfficialDocument) -> edxml.Code:
    number, _slash, notation = document.notation.partition("/")
    return edxml.Code(number, notation) if _slash else edxml.Code("", document.notation)


def document_id_of(document: OfficialDocument) -> str:
    """The document's DocumentId, given once (at its first package) and kept on the document."""
    if document.exchange_id:
        return document.exchange_id
    return edxml.document_id(document.agency.code, document.issued_on or clock.localdate(), code_of(document))


def _signer(document: OfficialDocument) -> edxml.SignerInfo:
    lines = [line.strip() for line in (document.signer_title or "").splitlines() if line.strip()]
    competence = lines[0] if len(lines) > 1 else ""
    position = lines[-1] if lines else ""
    return edxml.SignerInfo(competence=competence, position=position, full_name=document.signer_name)


def _staff(actor: User | None, document: OfficialDocument) -> edxml.StaffInfo:
    if actor is None:
        return edxml.StaffInfo(department=document.agency.name)
    return edxml.StaffInfo(
        department=document.agency.name,
        staff=actor.full_name or actor.username,
        mobile=getattr(actor, "phone", "") or "",
        email=actor.email or "",
    )


def _attachments(document: OfficialDocument) -> list[edxml.Attachment]:
    files = []
    issued = document.files.filter(kind=FileKind.ISSUED).order_by("-id").first()
    others = list(document.files.filter(kind=FileKind.ATTACHMENT).order_by("id"))
    for row, description in [(issued, _("Văn bản")), *((f, _("Tài liệu kèm theo")) for f in others)]:
        if row is None:
            continue
        with row.file.open("rb") as handle:
            files.append(
                edxml.Attachment(row.name, row.content_type, handle.read(), description=str(description))
            )
    return files


def _response_for(document: OfficialDocument) -> list[edxml.ResponseFor]:
    answered = document.answers
    if answered is None or not answered.exchange_id or answered.sender_date is None:
        return []
    return [
        edxml.ResponseFor(
            organ_id=answered.sender_organ_id,
            code=answered.sender_notation,
            promulgation_date=answered.sender_date,
            document_id=answered.exchange_id,
        )
    ]


def _electronic(document: OfficialDocument) -> list[Recipient]:
    return list(document.recipients.filter(channel=Channel.ELECTRONIC).order_by("id"))


def package_of(
    document: OfficialDocument,
    *,
    business: BusinessType = BusinessType.NEW,
    reason: str = "",
    actor: User | None = None,
    replaces: OfficialDocument | None = None,
    now: datetime.datetime | None = None,
) -> edxml.Package:
    now = now or clock.now()
    agency = document.agency
    response_for = _response_for(document)
    replacements = []
    if replaces is not None:
        # The replaced document, both as the standard's ReplacementInfo and as a ResponseFor (which
        # receivers that do not read ReplacementInfoList follow).
        response_for.append(
            edxml.ResponseFor(
                organ_id=replaces.agency.code,
                code=replaces.notation,
                promulgation_date=replaces.issued_on or clock.localdate(),
                document_id=document_id_of(replaces),
            )
        )
        replacements.append(
            edxml.Replacement(
                document_id=document_id_of(replaces), organ_ids=[r.organ_id for r in _electronic(replaces)]
            )
        )
    return edxml.Package(
        header=edxml.MessageHeader(
            from_=services.organization(agency),
            to=[edxml.Organization(r.organ_id, r.name) for r in _electronic(document)],
            code=code_of(document),
            promulgation_info=edxml.PromulgationInfo(document.place, document.issued_on or clock.localdate()),
            document_type=edxml.DocumentType(
                ADMINISTRATIVE, document.document_type.code, document.document_type.name
            ),
            subject=document.summary,
            content=document.body,
            signer_info=_signer(document),
            due_date=document.due_on,
            to_places=[r.name for r in document.recipients.order_by("id")],
            other_info=edxml.OtherInfo(priority=PRIORITY.get(document.urgency, 0)),
            response_for=response_for,
            document_id=document_id_of(document),
        ),
        traces=[edxml.TraceHeader(agency.code, now)],
        business=edxml.Business(
            doc_type=business,
            reason=reason,
            staff_info=_staff(actor, document),
            document_info_changed=business == BusinessType.UPDATE,
            replacements=replacements,
        ),
        attachments=_attachments(document),
    )


def send_document(
    document: OfficialDocument,
    *,
    business: BusinessType = BusinessType.NEW,
    reason: str = "",
    actor: User | None = None,
    replaces: OfficialDocument | None = None,
) -> list[Package]:
    """Queue the document's package for each electronic recipient that is a peer (in the caller's
    transaction). Recipients that are not on the exchange are returned to the caller by
    ``unreachable``."""
    recipients = [(r, services.peer_for(r.organ_id)) for r in _electronic(document)]
    recipients = [(r, peer) for r, peer in recipients if peer is not None]
    if not recipients:
        # No recipient on the exchange: nothing to sign or send (unreachable() lists them).
        return []
    pkg = package_of(document, business=business, reason=reason, actor=actor, replaces=replaces)
    try:
        data = services.seal(edxml.build_package(pkg), services.signing_key(document.agency))
    except services.ExchangeError as exc:
        if all(peer.transport == Transport.LOCAL for _r, peer in recipients):
            # Only agencies of this deployment, and no certificate to sign with: as before the local
            # transport, they stay undelivered (pending), the document is not held back.
            return []
        raise InvalidInput(str(exc)) from None
    if not document.exchange_id:
        OfficialDocument.objects.filter(pk=document.pk).update(exchange_id=pkg.header.document_id)
        document.exchange_id = pkg.header.document_id
    queued = []
    for recipient, peer in recipients:
        queued.append(
            services.queue(
                peer=peer,
                agency=document.agency,
                data=data,
                message_type=MessageType.EDOC,
                edxml_document_id=pkg.header.document_id,
                code=str(pkg.header.code),
                subject=pkg.header.subject,
                promulgation_date=pkg.header.promulgation_info.date,
                business_type=int(business),
                document=document,
                recipient=recipient,
            )
        )
    return queued


def unreachable(document: OfficialDocument) -> list[Recipient]:
    """Electronic recipients that are not active peers: nothing can be sent to them."""
    return [r for r in _electronic(document) if services.peer_for(r.organ_id) is None]


def resend(
    document: OfficialDocument, *, business: BusinessType, reason: str, actor: User | None
) -> list[Package]:
    """The sender recalled a sent document or corrected its details (documents.services.recall_sent,
    update_sent, in their transaction): the package, business type 1 or 2, to each electronic
    recipient on the exchange."""
    return send_document(document, business=business, reason=reason, actor=actor)


# -- status messages of incoming documents -----------------------------------------------------------------


def send_status(
    document: OfficialDocument,
    code: StatusCode | str,
    description: str = "",
    *,
    actor: User | None = None,
    regarding: edxml.ResponseFor | None = None,
) -> Package | None:
    """Tell the sender of an incoming document (received from a peer) what became of it. None when
    the document did not come over the exchange."""
    if not document.received_electronically or not document.exchange_id:
        return None
    peer = services.peer_for(document.sender_organ_id)
    if peer is None:
        return None
    if actor is None:
        line = (
            DocumentAction.objects.filter(document=document).order_by("-id").select_related("actor").first()
        )
        actor = line.actor if line is not None else None
    answered = regarding or edxml.ResponseFor(
        organ_id=document.sender_organ_id,
        code=document.sender_notation,
        promulgation_date=document.sender_date or clock.localdate(),
        document_id=document.exchange_id,
    )
    status = edxml.StatusMessage(
        response_for=answered,
        from_=services.organization(document.agency),
        status_code=StatusCode(code),
        timestamp=clock.now(),
        description=description[:1000],
        staff_info=_staff(actor, document),
    )
    try:
        key = services.signing_key(document.agency)
    except services.ExchangeError as exc:
        if peer.transport == Transport.LOCAL:
            # One of our own agencies, and no certificate to sign with: as for its documents, the
            # status is not sent rather than the officer's step refused.
            logger.warning("status %s of document %s not sent: %s", code, document.pk, exc)
            return None
        raise InvalidInput(str(exc)) from None
    data = services.seal(edxml.build_status(status), key)
    row = services.queue(
        peer=peer,
        agency=document.agency,
        data=data,
        message_type=MessageType.STATUS,
        edxml_document_id=answered.document_id,
        code=answered.code,
        promulgation_date=answered.promulgation_date,
        status_code=str(status.status_code),
        document=document,
    )
    StatusMessage.objects.create(
        direction=Direction.OUT,
        package=row,
        peer=peer,
        edxml_document_id=answered.document_id,
        status_code=row.status_code,
        description=status.description,
        staff=status.staff_info.staff[:255],
        department=status.staff_info.department[:255],
        stated_at=status.timestamp,
    )
    return row
