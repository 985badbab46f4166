"""Request and response bodies of the dossier API (motcua.api.dossiers)."""

import datetime
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, Field

from motcua.api.schemas import AgencyOut
from motcua.dossiers.services.processing import CONSULTATION_DAYS, MAX_AMOUNT

# Bounds of the values the API takes, so that a number or a date outside what the database and the
# services can hold is a 422 naming the field, never a server error.
MAX_PAGE = 100
Revision = Annotated[int, Field(ge=0, le=2**31 - 1)]
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]
Amount = Annotated[int, Field(ge=1, le=MAX_AMOUNT, description="In đồng, 1 to 10^12.")]
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200


def _plausible_day[T: datetime.date](value: T) -> T:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(
            _("Năm phải từ %(first)s đến %(last)s.") % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
        )
    return value


Moment = Annotated[datetime.datetime, AfterValidator(_plausible_day)]
Day = Annotated[datetime.date, AfterValidator(_plausible_day)]

# ---------------------------------------------------------------------------------------------
# Out


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


# How the applicant receives the result (dossiers.constants.ResultDelivery; a test keeps the two equal).
DeliveryChoice = Literal["in_person", "post", "online"]


class NationalDeliveryOut(Schema):
    """The delivery in the national portal's shape (DongBoHoSoMC; INTEGRATIONS.md §1)."""

    HinhThuc: int = Field(description="How the result is returned: 0 at the counter, 1 by post, 2 online.")
    KenhThucHien: int | None = Field(
        description="How the dossier was submitted: 1 counter, 2 online, 3 post."
    )
    ThongTinTra: str = Field(
        description="What was returned and how (tracking number by post); empty until returned."
    )


class ResultDeliveryOut(Schema):
    code: DeliveryChoice
    label: str
    address: str = Field(description="The postal address, when by post.")
    tracking_number: str = Field(description="The parcel's tracking number once the result is sent by post.")
    national: NationalDeliveryOut


class DossierOut(Schema):
    id: uuid.UUID = Field(description="Public id, usable before the dossier has a code.")
    code: str | None
    status: StatusOut
    procedure: ProcedureRef
    receiving_agency: AgencyOut
    holder_agency: AgencyOut
    channel: str
    result_delivery: ResultDeliveryOut
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


class NationalSyncOut(Schema):
    """Where the dossier stands with the national public-service portal (motcua.integrations)."""

    state: Literal["pending", "synced", "failed"] | None = Field(
        description="pending: changes not yet sent; synced: the portal holds the dossier as it is; "
        "failed: the last attempt failed and is retried. null: not synced (sync off, or a draft)."
    )
    synced_at: datetime.datetime | None = Field(description="When the portal last accepted the dossier.")


class DossierDetail(DossierOut):
    national_sync: NationalSyncOut
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


class PublicDeliveryOut(Schema):
    """How the result is received, without the address (the lookup shows nothing personal)."""

    code: DeliveryChoice
    label: str
    tracking_number: str


class PublicStatusOut(Schema):
    code: str
    procedure: str
    status: StatusOut
    due_at: datetime.datetime | None
    result_delivery: PublicDeliveryOut


# ---------------------------------------------------------------------------------------------
# In: the applicant


class DossierCreate(Schema):
    procedure: str = Field(description="National procedure code, e.g. 1.001193.")
    receiving_agency: str | None = Field(None, description="Agency code; the first one-stop unit if omitted.")
    form: dict[str, Any] = {}
    subject: SubjectIn | None = None
    result_delivery: DeliveryChoice | None = Field(
        None,
        description="How to receive the result: in_person, post (give `delivery_address`) or online "
        "(only for a full-online procedure). Default: online where offered, else in_person.",
    )
    delivery_address: str = Field("", max_length=500, description="Postal address, required with post.")
    submit: bool = False
    declaration: bool = False


class DossierUpdate(Schema):
    form: dict[str, Any] | None = Field(None, description="Fields to change; the others are kept.")
    subject: SubjectIn | None = None
    result_delivery: DeliveryChoice | None = Field(None, description="Change how to receive the result.")
    delivery_address: str | None = Field(None, max_length=500, description="Postal address, with post.")


class ApplicantActionIn(Schema):
    revision: Revision | None = Field(
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

    status: int | None = Field(None, ge=0, le=10, description="0 (draft) to 10.")
    procedure: str = ""
    agency: str = ""
    overdue: bool = False
    due_soon: bool = False
    mine: bool = False
    after: str | None = Field(None, description="The `next` cursor of the previous page.")
    size: int = Field(25, ge=1, le=MAX_PAGE, description=f"Dossiers per page, 1 to {MAX_PAGE}.")


# ---------------------------------------------------------------------------------------------
# In: officers' actions. ``revision`` is the revision the officer saw.


class ActionIn(Schema):
    revision: Revision = Field(
        description="The dossier's revision the officer saw (from GET); if someone acted since, 409."
    )


class NoteIn(ActionIn):
    note: str = ""


class ReturnIn(NoteIn):
    tracking_number: str = Field(
        "", max_length=60, description="The parcel's tracking number: required when the result goes by post."
    )


class SupplementIn(NoteIn):
    items: list[str] = []


class ReasonsIn(ActionIn):
    reasons: str = ""


class ForwardIn(NoteIn):
    to_user: str | None = Field(None, description="Username of the officer to pass the dossier to.")


class ConsultIn(ActionIn):
    agency: str = Field(description="Code of the agency asked.")
    question: str = ""
    days: Decimal = Field(
        Decimal(3),
        ge=CONSULTATION_DAYS[0],
        le=CONSULTATION_DAYS[1],
        description=f"Working days, {CONSULTATION_DAYS[0]} to {CONSULTATION_DAYS[1]}.",
    )


class PaymentRequestIn(NoteIn):
    amount: Amount


class PaymentIn(ActionIn):
    amount: Amount
    method: str = "cash"
    reference: str = ""


class ApologyIn(ReasonsIn):
    new_due_at: Moment


class ReplyIn(ActionIn):
    consultation: RecordId = Field(description="Id of the consultation step (from `steps`) being answered.")
    answer: str = ""
