"""Official documents (văn bản đi, đến; motcua.documents) for the officers of the agency:
``GET /api/documents?direction=in|out&status=&q=`` and ``GET /api/documents/{id}``. Anyone else gets
a 404 for a document (as if it did not exist). Reads only: every change goes through the staff pages
or motcua.exchange, which call the documents services."""

import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from motcua.api.auth import BearerToken
from motcua.api.schemas import ErrorOut, Message
from motcua.documents import rules, selectors
from motcua.documents.constants import Status as DocumentStatus
from motcua.documents.models import OfficialDocument

router = Router(auth=BearerToken(), tags=["documents"])


class DocumentFilters(Schema):
    direction: Literal["in", "out"] | None = Field(None, description="in: văn bản đến; out: văn bản đi.")
    status: str = Field(
        "", max_length=20, description="One of the statuses (draft … sent; received … closed)."
    )
    q: str = Field("", max_length=100, description="Words of the notation, summary or sender.")
    overdue: bool = False
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(20, ge=1, le=100)


class AgencyRef(Schema):
    code: str
    name: str


class DocumentSummary(Schema):
    id: int
    direction: Literal["in", "out"]
    status: str
    status_label: str
    document_type: str
    type_abbreviation: str
    number: int | None
    notation: str
    summary: str
    agency: AgencyRef
    issued_on: datetime.date | None
    due_on: datetime.date | None
    overdue: bool
    urgency: str
    confidentiality: str
    sender_name: str
    sender_organ_id: str
    sender_notation: str


class RecipientOut(Schema):
    name: str
    organ_id: str
    channel: Literal["electronic", "paper"]
    state: str
    status_code: str


class FileOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int
    sha256: str
    signed_by: str


class ActionOut(Schema):
    type: str
    label: str
    at: datetime.datetime
    actor: str | None
    status_before: str
    status_after: str
    note: str


class DocumentDetail(DocumentSummary):
    body: str
    place: str
    year: int | None
    signer_title: str
    signer_name: str
    signed_digitally: bool
    sender_date: datetime.date | None
    received_at: datetime.datetime | None
    received_electronically: bool
    exchange_id: str
    handler: str | None
    department: AgencyRef | None
    answers: int | None
    answered_by: list[int]
    dossier_code: str | None
    recipients: list[RecipientOut]
    files: list[FileOut]
    history: list[ActionOut]
    allowed_actions: list[str] = Field(description="What the caller may do now (the rule table).")


class DocumentPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[DocumentSummary]


def _summary(d: OfficialDocument) -> dict:
    return {
        "id": d.pk,
        "direction": d.direction,
        "status": d.status,
        "status_label": str(DocumentStatus(d.status).label),
        "document_type": d.document_type.name,
        "type_abbreviation": d.document_type.abbreviation,
        "number": d.number,
        "notation": d.notation,
        "summary": d.summary,
        "agency": {"code": d.agency.code, "name": d.agency.name},
        "issued_on": d.issued_on,
        "due_on": d.due_on,
        "overdue": d.is_overdue(),
        "urgency": d.urgency,
        "confidentiality": d.confidentiality,
        "sender_name": d.sender_name,
        "sender_organ_id": d.sender_organ_id,
        "sender_notation": d.sender_notation,
    }


@router.get("", response={200: DocumentPage, 401: Message, 422: ErrorOut})
def list_documents(request: HttpRequest, filters: Query[DocumentFilters]):
    """The documents of the caller's agencies (and those assigned to them), last changed first."""
    if filters.status and filters.status not in DocumentStatus.values:
        return Status(
            422, {"detail": _("Trạng thái không hợp lệ."), "errors": {"status": [_("Giá trị không hợp lệ.")]}}
        )
    documents = selectors.search(
        request.auth,
        direction=filters.direction,
        status=filters.status or None,
        q=filters.q,
        overdue=filters.overdue,
    )
    start = (filters.page - 1) * filters.page_size
    rows = list(documents[start : start + filters.page_size])
    return {
        "count": documents.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [_summary(d) for d in rows],
    }


@router.get("/{document_id}", response={200: DocumentDetail, 401: Message, 404: Message})
def get_document(request: HttpRequest, document_id: int):
    """One document with its recipients, files, history and the actions the caller may take."""
    if not 0 < document_id < 2**63:
        return Status(404, {"detail": _("Không tìm thấy văn bản.")})
    d = selectors.get_visible(request.auth, document_id)
    if d is None:
        return Status(404, {"detail": _("Không tìm thấy văn bản.")})
    return {
        **_summary(d),
        "body": d.body,
        "place": d.place,
        "year": d.year,
        "signer_title": d.signer_title,
        "signer_name": d.signer_name,
        "signed_digitally": d.signed_digitally,
        "sender_date": d.sender_date,
        "received_at": d.received_at,
        "received_electronically": d.received_electronically,
        "exchange_id": d.exchange_id,
        "handler": str(d.handler) if d.handler else None,
        "department": {"code": d.department.code, "name": d.department.name} if d.department else None,
        "answers": d.answers_id,
        "answered_by": list(d.answered_by.values_list("pk", flat=True)),
        "dossier_code": d.dossier.code if d.dossier else None,
        "recipients": [
            {
                "name": r.name,
                "organ_id": r.organ_id,
                "channel": r.channel,
                "state": r.state,
                "status_code": r.status_code,
            }
            for r in d.recipients.all()
        ],
        "files": list(d.files.all()),
        "history": [
            {
                "type": a.type,
                "label": str(a.get_type_display()),
                "at": a.at,
                "actor": str(a.actor) if a.actor else None,
                "status_before": a.status_before,
                "status_after": a.status_after,
                "note": a.note,
            }
            for a in selectors.history(d)
        ],
        "allowed_actions": [a.value for a in rules.allowed(request.auth, d)],
    }
