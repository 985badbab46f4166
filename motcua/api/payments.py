"""The payments of a dossier: its fee ledger and online payments (GET), starting an online payment
(POST, the applicant only) and the electronic receipts.

Mounted before the dossier router (motcua.api.urls) like the search. Who may see a dossier's payments
is who may see the dossier (motcua.dossiers.selectors.visible_to); every rule is in
motcua.payments.services.
"""

import datetime
import uuid
from typing import Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Path, Router, Schema, Status
from pydantic import Field

from motcua.api.auth import BearerToken
from motcua.api.dossier_schemas import RecordId
from motcua.api.dossiers import ERRORS, _dossier
from motcua.api.idempotency import OPENAPI_PARAMETER
from motcua.api.schemas import ErrorOut
from motcua.core.http import client_address
from motcua.payments import gateways, selectors, services
from motcua.payments.downloads import receipt_response
from motcua.payments.models import GatewayPayment, LedgerEntry

router = Router(auth=BearerToken(), tags=["payments"])


class PaymentStart(Schema):
    gateway: str = Field(max_length=20, description="A gateway the site offers: `national` or `vnpay`.")


class PaymentStarted(Schema):
    id: uuid.UUID
    status: str = Field(description="`pending`: send the payer to `redirect_url`.")
    redirect_url: str = Field(description="The gateway's page where the payer pays.")


class ReceiptOut(Schema):
    number: str
    url: str


class LedgerLineOut(Schema):
    kind: Literal["charge", "waiver", "payment", "refund"]
    at: datetime.datetime
    label: str
    amount: int = Field(description="In đồng; `kind` says which way it counts.")
    quantity: int
    unit: str
    unit_amount: int
    note: str
    method: str = Field(description="For a payment or refund: `cash`, `bank_transfer` or `online`.")
    reference: str
    payment: uuid.UUID | None = Field(description="The online payment (`payments[].id`) it comes from.")
    receipt: ReceiptOut | None
    balance: int = Field(description="What the dossier still owes after this line.")


class PaymentEventOut(Schema):
    at: datetime.datetime
    source: str
    status_before: str
    status_after: str


class OnlinePaymentOut(Schema):
    id: uuid.UUID
    gateway: str
    reference: str
    amount: int
    status: Literal["created", "pending", "paid", "failed", "cancelled", "refunded"]
    created_at: datetime.datetime
    paid_at: datetime.datetime | None
    transaction: str = Field(description="The gateway's transaction number, once paid.")
    events: list[PaymentEventOut]


class PaymentsOut(Schema):
    balance: int = Field(description="What the dossier owes now (negative: money to give back).")
    charged: int
    waived: int
    paid: int
    refunded: int
    lines: list[LedgerLineOut]
    payments: list[OnlinePaymentOut]


def _receipt(entry: LedgerEntry, ref: str) -> dict | None:
    receipt = getattr(entry, "receipt", None) if hasattr(entry, "receipt") else None
    if receipt is None:
        return None
    return {"number": receipt.number, "url": reverse("api:dossier_receipt", args=[ref, receipt.pk])}


def _payment(payment: GatewayPayment) -> dict:
    return {
        "id": payment.public_id,
        "gateway": payment.gateway,
        "reference": payment.reference,
        "amount": payment.amount,
        "status": payment.status,
        "created_at": payment.created_at,
        "paid_at": payment.paid_at,
        "transaction": payment.gateway_transaction,
        "events": [
            {"at": e.at, "source": e.source, "status_before": e.status_before, "status_after": e.status_after}
            for e in payment.events.all()
        ],
    }


@router.get("/{ref}/payments", response={200: PaymentsOut, **ERRORS})
def list_payments(request: HttpRequest, ref: str):
    """The dossier's fee ledger (charges, waivers, payments, refunds, each with the balance after it and
    its receipt) and its online payments with their history."""
    dossier = _dossier(request, ref)
    ledger = selectors.ledger(dossier)
    return {
        "balance": ledger.balance,
        "charged": ledger.totals.charged,
        "waived": ledger.totals.waived,
        "paid": ledger.totals.paid,
        "refunded": ledger.totals.refunded,
        "lines": [
            {
                "kind": line.entry.kind,
                "at": line.entry.at,
                "label": line.entry.label,
                "amount": line.entry.amount,
                "quantity": line.entry.quantity,
                "unit": line.entry.unit,
                "unit_amount": line.entry.unit_amount,
                "note": line.entry.note,
                "method": line.entry.method,
                "reference": line.entry.reference,
                "payment": line.entry.gateway_payment.public_id if line.entry.gateway_payment else None,
                "receipt": _receipt(line.entry, ref),
                "balance": line.balance,
            }
            for line in ledger.lines
        ],
        "payments": [_payment(p) for p in selectors.online_payments(dossier)],
    }


@router.post(
    "/{ref}/payments",
    response={201: PaymentStarted, 503: ErrorOut, **ERRORS},
    openapi_extra={"parameters": [OPENAPI_PARAMETER]},
)
def start_payment(request: HttpRequest, ref: str, body: PaymentStart):
    """The applicant starts paying what the dossier owes (status 6, Yêu cầu thực hiện nghĩa vụ tài
    chính) through ``gateway``: send the payer's browser to ``redirect_url``; the gateway brings it back
    to the site's return page and confirms to the site directly. Applicant only (403 for others)."""
    dossier = _dossier(request, ref)
    gateway = body.gateway.strip()
    offered = gateways.is_enabled(gateway)
    return_url = (
        request.build_absolute_uri(reverse("portal:payment_return", args=[gateway])) if offered else ""
    )
    payment = services.start_payment(
        dossier,
        actor=request.auth,
        gateway=gateway,
        return_url=return_url,
        client_ip=client_address(request) or "",
    )
    return Status(
        201, {"id": payment.public_id, "status": payment.status, "redirect_url": payment.redirect_url}
    )


@router.get(
    "/{ref}/payments/receipts/{receipt_id}", response={200: None, **ERRORS}, url_name="dossier_receipt"
)
def download_receipt(request: HttpRequest, ref: str, receipt_id: Path[RecordId]):
    """The electronic receipt (biên lai) of a payment, a PDF, to whoever may see the dossier."""
    dossier = _dossier(request, ref)
    receipt = selectors.receipt_visible_to(request.auth, dossier.pk, receipt_id)
    if receipt is None:
        raise Http404
    return receipt_response(receipt, inline=False)
