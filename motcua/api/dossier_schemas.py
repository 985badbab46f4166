"""Request and response bodies of the dossier API (motcua.api.dossiers)."""

import datetime
import uuid
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from motcua.api.schemas import AgencyOut

# ---------------------------------------------------------------------------------------------
# Out


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class StatusOut(Schema):
    code: int = Field(description="1–10 as the national portal counts them; 0 for a draft.")
    national: str = Field(description="The national portal's string: receiving, new, processing, done...")
    label: str


class ProcedureRef(Schema):
    code: str
    name: str
    version: int


class SubjectIn(Schema):
    """The person or business the dossier is for, when the applicant acts on someone's behalf."""

    name: str = ""
    identity: str = ""
    relation: str = ""


class SubjectOut(SubjectIn):
    pass


class DossierOut(Schema):
    id: uuid.UUID = Field(description="Public id, usable before the dossier has a code.")
    code: str | None
    status: StatusOut
    procedure: ProcedureRef
    receiving_agency: AgencyOut
    holder_agency: AgencyOut
    channel: str
    applicant_name: str
    subject: SubjectOut
    form: dict[str, Any]
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None
    received_at: datetime.datetime | None
    due_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    returned_at: datetime.datetime | None
    fee_due: int
    revision: int = Field(description="Send it back as `revision` so a concurrent change is refused (409).")
    overdue: bool


class ActionOut(Schema):
    at: datetime.datetime
    type: str
    label: str
    status_before: int
    status_after: int
    actor: str | None
    agency: AgencyOut | None
    step: str | None
    note: str
    files: list[int]


class AttachmentOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int | None = Field(
        description="Bytes; null while a generated notice or result waits for its PDF to be rendered "
        "(a GET of the file renders it at once)."
    )
    document: int | None
    notice_form: str
    uploaded_at: datetime.datetime


class DossierStepOut(Schema):
    id: int
    order: int
    kind: str
    name: str
    agency: AgencyOut
    role: str
    due_at: datetime.datetime | None
    completed_at: datetime.datetime | None


class MissingDocumentOut(Schema):
    id: int
    name: str


class DossierDetail(DossierOut):
    timeline: list[ActionOut]
    attachments: list[AttachmentOut]
    steps: list[DossierStepOut]
    missing_documents: list[MissingDocumentOut]
    allowed_actions: list[str] = Field(
        description="What the caller may do to the dossier now (the same rule the actions check): "
        "action names such as receive, forward, approve, withdraw, edit, delete_draft."
    )


class DossierSaved(DossierDetail):
    errors: dict[str, list[str]] = Field(
        description="What is still wrong or missing: the draft keeps what was typed."
    )


class DossierPage(Schema):
    results: list[DossierOut]
    next: str | None = Field(description="Pass as `after` for the next page; null on the last page.")


class PublicStatusOut(Schema):
    code: str
    procedure: str
    status: StatusOut
    due_at: datetime.datetime | None


# ---------------------------------------------------------------------------------------------
# In: the applicant


class DossierCreate(Schema):
    procedure: str = Field(description="National procedure code, e.g. 1.001193.")
    receiving_agency: str | None = Field(None, description="Agency code; the first one-stop unit if omitted.")
    form: dict[str, Any] = {}
    subject: SubjectIn | None = None
    submit: bool = False
    declaration: bool = False


class DossierUpdate(Schema):
    form: dict[str, Any] | None = Field(None, description="Fields to change; the others are kept.")
    subject: SubjectIn | None = None


class ApplicantActionIn(Schema):
    revision: int | None = Field(
        None, description="The revision the applicant saw; if the dossier changed since, 409."
    )


class SubmitIn(ApplicantActionIn):
    declaration: bool = False


class ResubmitIn(ApplicantActionIn):
    note: str = ""


class WithdrawIn(ApplicantActionIn):
    reason: str = ""


class DossierFilters(Schema):
    """Filters of GET /dossiers; the inbox filters apply to officers only."""

    status: int | None = None
    procedure: str = ""
    agency: str = ""
    overdue: bool = False
    due_soon: bool = False
    mine: bool = False
    after: str | None = Field(None, description="The `next` cursor of the previous page.")
    size: int = 25


# ---------------------------------------------------------------------------------------------
# In: officers' actions. ``revision`` is the revision the officer saw.


class ActionIn(Schema):
    revision: int = Field(
        description="The dossier's revision the officer saw (from GET); if someone acted since, 409."
    )


class NoteIn(ActionIn):
    note: str = ""


class SupplementIn(NoteIn):
    items: list[str] = []


class ReasonsIn(ActionIn):
    reasons: str = ""


class ForwardIn(NoteIn):
    to_user: str | None = Field(None, description="Username of the officer to pass the dossier to.")


class ConsultIn(ActionIn):
    agency: str = Field(description="Code of the agency asked.")
    question: str = ""
    days: Decimal = Decimal(3)


class PaymentRequestIn(NoteIn):
    amount: int


class PaymentIn(ActionIn):
    amount: int
    method: str = "cash"
    reference: str = ""


class ApologyIn(ReasonsIn):
    new_due_at: datetime.datetime


class ReplyIn(ActionIn):
    consultation: int = Field(description="Id of the consultation step (from `steps`) being answered.")
    answer: str = ""
