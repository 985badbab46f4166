"""Official documents as edXML: the package of an outgoing document (new, recall, update, replace) and
the status messages of an incoming one, each built, signed by the agency, validated and queued per
recipient on the exchange (services.queue, in the caller's transaction)."""

import datetime

from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core import audit, clock
from motcua.documents import rules as document_rules
from motcua.documents.constants import Channel, FileKind, Status, Urgency
from motcua.documents.models import DocumentAction, OfficialDocument, Recipient
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.exchange import edxml, services
from motcua.exchange.constants import BusinessType, Direction, MessageType, StatusCode, Transport
from motcua.exchange.models import Package, StatusMessage

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
    if replaces is not None:
        response_for.append(
            edxml.ResponseFor(
                organ_id=replaces.agency.code,
                code=replaces.notation,
                promulgation_date=replaces.issued_on or clock.localdate(),
                document_id=document_id_of(replaces),
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
        business=edxml.Business(doc_type=business, reason=reason, staff_info=_staff(actor, document)),
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


def may_change(document: OfficialDocument, actor: User) -> bool:
    """Whether ``actor`` may recall, update or replace the sent ``document`` (asked by the page, checked
    again by ``recall``/``update``/``replace``)."""
    try:
        _may_change(document, actor)
    except NotAllowed:
        return False
    return any(r.channel == Channel.ELECTRONIC for r in document.recipients.all())


def _may_change(document: OfficialDocument, actor: User) -> None:
    facts = document_rules.facts_of(document, actor)
    if document.status != Status.SENT or not (
        document_rules.is_leader(actor, facts) or document_rules.is_clerk(actor, facts)
    ):
        raise NotAllowed(_("Chỉ lãnh đạo hoặc văn thư của cơ quan được thu hồi, cập nhật văn bản đã gửi."))


def recall(document: OfficialDocument, *, actor: User, reason: str) -> list[Package]:
    """Ask the recipients to recall a sent document (business type 1); each answers 15 or 16."""
    return _change(document, BusinessType.RECALL, actor=actor, reason=reason)


def update(document: OfficialDocument, *, actor: User, reason: str) -> list[Package]:
    """Send the recipients the document's corrected details (business type 2)."""
    return _change(document, BusinessType.UPDATE, actor=actor, reason=reason)


def replace(
    document: OfficialDocument, *, replaced: OfficialDocument, actor: User, reason: str
) -> list[Package]:
    """Send a new document that replaces a sent one (business type 3, ResponseFor the replaced one)."""
    _may_change(replaced, actor)
    from django.db import transaction

    with transaction.atomic():
        queued = send_document(
            document, business=BusinessType.REPLACE, reason=reason, actor=actor, replaces=replaced
        )
        audit.record(
            "exchange.document_replaced",
            actor=actor,
            obj=document,
            summary=reason[:400],
            replaced=replaced.pk,
        )
    return queued


def _change(document: OfficialDocument, business: BusinessType, *, actor: User, reason: str) -> list[Package]:
    from django.db import transaction

    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Vui lòng nhập lý do."))
    with transaction.atomic():
        row = OfficialDocument.objects.select_for_update().get(pk=document.pk)
        _may_change(row, actor)
        queued = send_document(row, business=business, reason=reason, actor=actor)
        audit.record(
            f"exchange.document_{business.name.lower()}",
            actor=actor,
            obj=row,
            summary=reason[:400],
            packages=[p.pk for p in queued],
        )
    return queued


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
    data = services.seal(edxml.build_status(status), services.signing_key(document.agency))
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
