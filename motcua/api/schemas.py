import datetime
from decimal import Decimal

from ninja import Schema


class Message(Schema):
    detail: str


class AgencyOut(Schema):
    code: str
    name: str


class FeeOut(Schema):
    name: str
    amount: int
    description: str
    exemptions: str


class DocumentOut(Schema):
    name: str
    form: str
    quantity: int
    required: bool
    note: str


class FormFieldOut(Schema):
    key: str
    label: str
    kind: str
    required: bool
    help_text: str
    choices: list[str]


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
    total_fee: int
    version: int


class ProcedureDetail(ProcedureSummary):
    effective_from: datetime.date | None
    is_current: bool
    applicants: str
    description: str
    conditions: str
    legal_basis: str
    result: str
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
    username: str
    password: str


class TokenOut(Schema):
    access_token: str
    token_type: str
    expires_at: datetime.datetime


class MeOut(Schema):
    username: str
    full_name: str
    kind: str
    agencies: list[AgencyOut]
