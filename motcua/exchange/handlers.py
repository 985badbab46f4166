"""What a received package does on our side (called by services.receive in its transaction).

- A new document (business type 0) is filed as an incoming document of the agency it is for
  (documents.services.receive_incoming, by the system), answering our outgoing one when its
  ResponseFor names it.
- A recall (1) of a document we received is accepted while the document is still being dealt with
  (received, registered, assigned, processing, answered): it is recalled (documents.services.recall)
  and the sender told 15 and 13.
- An update (2) or a replacement (3) of such a document is put to the agency's clerk or leader
  (documents.services.ask_amendment): an update's changed details, or the replacement filed beside
  the old document and linked to it. Accepting sends 15 (the details applied, or the old document
  marked replaced), refusing 16 with the reason (documents.services.accept_amendment,
  refuse_amendment, through the documents' status events).
- Any of them for a closed or refused document, or one we never received, is refused at once: 16 with
  the reason (an update's or replacement's new version is filed all the same, for the clerk).
- A status message about a document we sent is recorded against its recipient
  (documents.services.record_delivery: a line in the document's history).
"""

import logging

from django.utils.translation import gettext as _

from motcua.documents import rules as document_rules
from motcua.documents import services as documents
from motcua.documents.constants import AmendmentKind, Status
from motcua.documents.constants import Direction as DocumentDirection
from motcua.documents.models import DocumentType, OfficialDocument
from motcua.exchange import edxml, outgoing
from motcua.exchange.constants import BusinessType, StatusCode
from motcua.exchange.models import Package

logger = logging.getLogger(__name__)

# An incoming document in these statuses may still be recalled, updated or replaced.
CHANGEABLE = set(document_rules.CHANGEABLE)
FALLBACK_TYPE = "cong-van"


def apply(row: Package, content: edxml.Package | edxml.StatusMessage) -> None:
    """Apply a received package (already stored as ``row``)."""
    if isinstance(content, edxml.StatusMessage):
        _status(row, content)
    elif content.business.doc_type == BusinessType.NEW:
        _file(row, content)
    else:
        _change(row, content)


def _document_type(kind: edxml.DocumentType) -> DocumentType | None:
    found = None
    if kind.type_detail:
        found = DocumentType.objects.filter(code=kind.type_detail).first()
    if found is None and kind.type_name:
        found = DocumentType.objects.filter(name__iexact=kind.type_name).first()
    return found or DocumentType.objects.filter(code=FALLBACK_TYPE).first() or DocumentType.objects.first()


def _answers(row: Package, header: edxml.MessageHeader) -> OfficialDocument | None:
    for answered in header.response_for:
        if answered.organ_id == row.agency.code:
            found = OfficialDocument.objects.filter(
                direction=DocumentDirection.OUTGOING, agency=row.agency, exchange_id=answered.document_id
            ).first()
            if found is not None:
                return found
    return None


def _file(
    row: Package, content: edxml.Package, *, replaces: OfficialDocument | None = None
) -> OfficialDocument:
    h = content.header
    signer_title = "\n".join(part for part in (h.signer_info.competence, h.signer_info.position) if part)
    document = documents.receive_incoming(
        agency=row.agency,
        incoming=documents.Incoming(
            document_type=_document_type(h.document_type),
            summary=h.subject,
            sender_name=h.from_.organ_name or h.from_.organ_id,
            sender_organ_id=h.from_.organ_id,
            sender_notation=str(h.code),
            sender_date=h.promulgation_info.date,
            body=h.content,
            place=h.promulgation_info.place,
            signer_title=signer_title,
            signer_name=h.signer_info.full_name,
            urgency=outgoing.URGENCY.get(h.other_info.priority, "normal"),
            due_on=h.due_date,
            exchange_id=h.document_id,
            answers=_answers(row, h),
            replaces=replaces,
        ),
        attachments=[documents.IncomingFile(a.name, a.content_type, a.data) for a in content.attachments],
        received_at=row.created_at,
    )
    row.document = document
    row.save(update_fields=["document"])
    return document


def _received(row: Package, document_id: str) -> OfficialDocument | None:
    return (
        OfficialDocument.objects.filter(
            direction=DocumentDirection.INCOMING,
            agency=row.agency,
            sender_organ_id=row.peer.organ_id,
            exchange_id=document_id,
        )
        .exclude(status=Status.RECALLED)
        .order_by("-id")
        .first()
    )


def _replaced(row: Package, content: edxml.Package) -> edxml.ResponseFor | None:
    """The document a replacement replaces: its ReplacementInfo for one of our agencies (or for all
    the receivers), else the ResponseFor naming a document of the sender."""
    h = content.header
    for replaced in content.business.replacements:
        if not replaced.organ_ids or row.agency.code in replaced.organ_ids:
            earlier = next((r for r in h.response_for if r.document_id == replaced.document_id), None)
            if earlier is not None:
                return earlier
            old = _received(row, replaced.document_id)
            return edxml.ResponseFor(
                h.from_.organ_id,
                old.sender_notation if old is not None else "",
                (old.sender_date if old is not None else None) or h.promulgation_info.date,
                replaced.document_id,
            )
    targets = [r for r in h.response_for if r.organ_id == row.peer.organ_id]
    return targets[0] if targets else None


def _change(row: Package, content: edxml.Package) -> None:
    business = content.business.doc_type
    regarding = _replaced(row, content) if business == BusinessType.REPLACE else _regarding_self(content)
    old = _received(row, regarding.document_id) if regarding is not None else None
    reason = content.business.reason or str(business.label)
    if old is None or old.status not in CHANGEABLE:
        why = (
            _("Không tìm thấy văn bản đã nhận.")
            if old is None
            else _("Văn bản đã được xử lý xong (%(status)s).") % {"status": old.get_status_display()}
        )
        if old is not None:
            outgoing.send_status(old, StatusCode.DECLINED, why, regarding=regarding)
        else:
            _decline_unknown(row, regarding or _regarding_self(content), why)
        if business != BusinessType.RECALL:
            # The new version is still a document the sender sent us: file it, the clerk decides.
            _file(row, content, replaces=old)
        return
    row.document = old
    if business == BusinessType.RECALL:
        row.save(update_fields=["document"])
        documents.recall(old, reason=reason)
        outgoing.send_status(
            old, StatusCode.ACCEPTED, str(_("Đồng ý thu hồi: %(r)s")) % {"r": reason}, regarding=regarding
        )
        outgoing.send_status(
            old, StatusCode.RECALLED, str(_("Văn bản đã được thu hồi.")), regarding=regarding
        )
        return
    staff = content.business.staff_info.staff
    if business == BusinessType.UPDATE:
        row.save(update_fields=["document"])
        h = content.header
        documents.ask_amendment(
            old,
            kind=AmendmentKind.UPDATE,
            reason=reason,
            changes=documents.proposed_changes(
                old,
                {
                    "summary": h.subject[:500],
                    "urgency": outgoing.URGENCY.get(h.other_info.priority, "normal"),
                    "due_on": h.due_date,
                },
            ),
            staff=staff,
        )
        return
    # A replacement: the new document is filed beside the old one; the clerk or a leader decides.
    new = _file(row, content, replaces=old)
    documents.ask_amendment(old, kind=AmendmentKind.REPLACE, reason=reason, replacement=new, staff=staff)


def _regarding_self(content: edxml.Package) -> edxml.ResponseFor:
    h = content.header
    return edxml.ResponseFor(h.from_.organ_id, str(h.code), h.promulgation_info.date, h.document_id)


def _decline_unknown(row: Package, regarding: edxml.ResponseFor, why: str) -> None:
    """16 for a document we never received: answered from the package's own details."""
    from motcua.core import clock
    from motcua.exchange import services
    from motcua.exchange.constants import Direction, MessageType
    from motcua.exchange.models import StatusMessage

    status = edxml.StatusMessage(
        response_for=regarding,
        from_=services.organization(row.agency),
        status_code=StatusCode.DECLINED,
        timestamp=clock.now(),
        description=why,
        staff_info=edxml.StaffInfo(department=row.agency.name),
    )
    data = services.seal(edxml.build_status(status), services.signing_key(row.agency))
    sent = services.queue(
        peer=row.peer,
        agency=row.agency,
        data=data,
        message_type=MessageType.STATUS,
        edxml_document_id=regarding.document_id,
        code=regarding.code,
        promulgation_date=regarding.promulgation_date,
        status_code=StatusCode.DECLINED,
    )
    StatusMessage.objects.create(
        direction=Direction.OUT,
        package=sent,
        peer=row.peer,
        edxml_document_id=regarding.document_id,
        status_code=StatusCode.DECLINED,
        description=why,
        stated_at=status.timestamp,
    )


def _status(row: Package, content: edxml.StatusMessage) -> None:
    document = OfficialDocument.objects.filter(
        direction=DocumentDirection.OUTGOING, agency=row.agency, exchange_id=content.response_for.document_id
    ).first()
    if document is None:
        logger.info(
            "status %s about an unknown document %s", content.status_code, content.response_for.document_id
        )
        return
    row.document = document
    row.save(update_fields=["document"])
    recipient = document.recipients.filter(organ_id=row.peer.organ_id).first()
    if recipient is None or document.status != Status.SENT:
        return
    description = content.description or str(StatusCode(content.status_code).label)
    if content.staff_info.staff:
        description = f"{description} ({content.staff_info.staff})"
    documents.record_delivery(
        recipient, status_code=str(content.status_code), description=description, at=content.timestamp
    )
