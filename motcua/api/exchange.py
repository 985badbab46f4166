"""The exchange's entry point for other deployments (motcua.exchange):

- ``POST /api/exchange/edxml``: an edXML package (a document or a status message) as the body,
  ``Content-Type: application/xml``. No login: the package's XML-DSig signature and the peer registry
  authenticate it. 201 ``{id, code_number, code_notation, from_organ_id, subject}`` (200 with the same
  answer when these very bytes were received before); 403 when the sender is not a peer; 422 with the
  reason for a bad structure or signature.
- ``GET /api/documents/{id}/edxml``: the package of an official document as it was sent (outgoing) or
  received (incoming), byte for byte, ``application/xml``; to the officers who may see the document
  (anyone else: 404, as if it did not exist).
"""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from motcua.api.auth import BearerToken
from motcua.api.schemas import ErrorOut, Message
from motcua.documents import selectors as document_selectors
from motcua.exchange import edxml, selectors, services

router = Router(tags=["exchange"])
documents_router = Router(auth=BearerToken(), tags=["documents"])


class ReceivedOut(Schema):
    id: int
    code_number: str
    code_notation: str
    from_organ_id: str
    subject: str
    status_code: str = ""


def _error(status: int, detail: str, field: str = "body") -> Status:
    return Status(status, {"detail": detail, "errors": {field: [detail]}})


@router.post(
    "/exchange/edxml",
    auth=None,
    response={200: ReceivedOut, 201: ReceivedOut, 403: ErrorOut, 415: ErrorOut, 422: ErrorOut},
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/xml": {"schema": {"type": "string"}}}}
    },
)
def receive_edxml(request: HttpRequest):
    """Receive an edXML package (QCVN 102:2016) signed by a peer agency."""
    if request.content_type not in ("application/xml", "text/xml"):
        return _error(415, _("Gói tin phải gửi với Content-Type: application/xml."), "content_type")
    # Read the stream ourselves: a package with attachments is larger than Django's in-memory limit.
    data = request.read(edxml.MAX_PACKAGE_BYTES + 1)
    if not data:
        return _error(422, _("Không có gói tin."))
    try:
        receipt = services.receive(data)
    except services.Refused as exc:
        return _error(exc.status, exc.reason)
    row = receipt.package
    number, _slash, notation = row.code.partition("/")
    if not _slash:
        number, notation = "", row.code
    return Status(
        200 if receipt.duplicate else 201,
        {
            "id": row.pk,
            "code_number": number,
            "code_notation": notation,
            "from_organ_id": row.peer.organ_id,
            "subject": row.subject,
            "status_code": row.status_code,
        },
    )


@documents_router.get(
    "/{document_id}/edxml",
    response={200: None, 401: Message, 404: Message},
    openapi_extra={
        "responses": {"200": {"description": "The edXML package.", "content": {"application/xml": {}}}}
    },
)
def document_edxml(request: HttpRequest, document_id: int):
    """The edXML package of a document as sent or received (QCVN 102:2016), byte for byte."""
    document = document_selectors.get_visible(request.auth, document_id) if 0 < document_id < 2**63 else None
    row = selectors.package_of(document) if document is not None else None
    if row is None:
        return Status(404, {"detail": _("Văn bản này không có gói tin liên thông.")})
    response = HttpResponse(bytes(row.raw), content_type="application/xml")
    response["Content-Disposition"] = f'inline; filename="van-ban-{document_id}.edxml"'
    response["X-Content-SHA256"] = row.sha256
    return response
