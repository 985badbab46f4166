import datetime
from decimal import Decimal

from ninja import Field, Schema


class Message(Schema):
    detail: str


class ErrorOut(Schema):
    """Every error of the API (motcua.api.errors): a message, and messages by field."""

    detail: str
    errors: dict[str, list[str]] = Field(
        {}, description="Messages by field (`form.birth_date`, `size`...); empty when no field is at fault."
    )


class AgencyOut(Schema):
    code: str
    name: str


class FeeOut(Schema):
    name: str
    amount: int = Field(description="In đồng; per unit when charged by quantity. 0: free (miễn phí).")
    charging: str = Field(
        description="always: once per dossier; per_unit: amount × the form's quantity_field; "
        "on_request: likewise, only when the applicant asks (a missing quantity counts 0)."
    )
    charging_label: str
    unit: str = Field(description="The unit charged for, e.g. “bản sao” (copy).")
    quantity_field: str = Field(
        description='Key of the form\'s number field giving the quantity; "" if charged once.'
    )
    description: str
    exemptions: str
    exemption_field: str = Field(
        description="Key of the form's yes/no field (“Có”/“Không”): the applicant claims `exemptions` by it."
    )

    @staticmethod
    def resolve_charging_label(obj) -> str:
        return str(obj.get_charging_display())


class DocumentOut(Schema):
    name: str
    form: str
    quantity: int
    required: bool
    note: str
    template_url: str | None = Field(
        description="Where to download the blank form (mẫu đơn, tờ khai) to fill in; null if none."
    )


class ChannelOut(Schema):
    channel: str = Field(description="online (trực tuyến), post (dịch vụ bưu chính) or counter (trực tiếp).")
    channel_label: str
    time: Decimal | None = Field(
        description="Processing time by this channel, in `unit`; null: the procedure's processing_time."
    )
    unit: str = Field(description='working_days, calendar_days or working_hours; "" when time is null.')
    time_label: str = Field(description="The time that applies, in words (the procedure's if time is null).")
    fee_text: str = Field(description='Fees by this channel as the catalogue words them; "": see fees.')
    description: str

    @staticmethod
    def resolve_channel_label(obj) -> str:
        return str(obj.get_channel_display())


class FormFieldOut(Schema):
    key: str
    label: str
    kind: str
    required: bool
    help_text: str
    choices: list[str]
    date_rule: str = Field(
        "", description="For a date: past (not after today), future (not before today), or empty."
    )


class StepOut(Schema):
    order: int
    name: str
    role: str
    agency: AgencyOut | None
    share: Decimal


class ProcessingTime(Schema):
    value: Decimal
    unit: str
    label: str


class ProcedureSummary(Schema):
    code: str
    name: str
    field: str
    level: str
    mode: str
    legacy_level: int
    processing_time: ProcessingTime
    agencies: list[AgencyOut]
    base_fee: int = Field(
        description="Fees with nothing asked for on request and no exemption claimed; "
        "a dossier's fee follows its form."
    )
    version: int


class ProcedureDetail(ProcedureSummary):
    effective_from: datetime.date | None
    is_current: bool
    applicants: str
    description: str
    conditions: str
    legal_basis: str
    result: str
    channels: list[ChannelOut] = Field(
        description="The ways to submit (hình thức nộp), each with its processing time and fees."
    )
    fees: list[FeeOut]
    documents: list[DocumentOut]
    form: list[FormFieldOut]
    steps: list[StepOut]
    versions: list[int]


class ProcedurePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ProcedureSummary]


class UnitOut(Schema):
    code: str
    name: str
    type: str
    parent: str | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class UnitList(Schema):
    parent: UnitOut | None
    count: int
    results: list[UnitOut]


class TokenIn(Schema):
    username: str = Field(max_length=254)
    password: str = Field(max_length=4096)


class TokenInfo(Schema):
    id: int
    created_at: datetime.datetime
    expires_at: datetime.datetime
    last_used_at: datetime.datetime | None
    current: bool = Field(description="The token this request was sent with.")


class TokenOut(Schema):
    access_token: str
    token_type: str
    expires_at: datetime.datetime


class MeOut(Schema):
    username: str
    full_name: str
    kind: str
    agencies: list[AgencyOut]
