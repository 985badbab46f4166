"""Reads of the payments app: a dossier's ledger and balance, its online payments, receipts, a day's
payments for reconciliation."""

import datetime
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.models import Dossier
from motcua.payments.constants import SIGN, EntryKind
from motcua.payments.models import GatewayPayment, LedgerEntry, Receipt


@dataclass(frozen=True)
class Totals:
    """A dossier's ledger summed by kind; ``balance`` is what it still owes (negative: money we hold that
    is not owed, to be refunded)."""

    charged: int = 0
    waived: int = 0
    paid: int = 0
    refunded: int = 0

    @property
    def balance(self) -> int:
        return self.charged - self.waived - self.paid + self.refunded


def totals(dossier: Dossier) -> Totals:
    sums = dict(
        LedgerEntry.objects.filter(dossier=dossier)
        .values_list("kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return Totals(
        charged=sums.get(EntryKind.CHARGE, 0),
        waived=sums.get(EntryKind.WAIVER, 0),
        paid=sums.get(EntryKind.PAYMENT, 0),
        refunded=sums.get(EntryKind.REFUND, 0),
    )


def refunded(entry: LedgerEntry) -> int:
    """How much of the payment line ``entry`` was given back."""
    return entry.refunds.aggregate(total=Sum("amount"))["total"] or 0


@dataclass(frozen=True)
class Line:
    """A ledger line as pages and the API show it, with the balance after it."""

    entry: LedgerEntry
    signed_amount: int
    balance: int


@dataclass(frozen=True)
class Ledger:
    lines: list[Line]
    totals: Totals

    @property
    def balance(self) -> int:
        return self.totals.balance


def ledger(dossier: Dossier) -> Ledger:
    """The ledger of ``dossier`` in the order its lines were written (a payment is dated by the gateway,
    to the second), each line with the running balance."""
    entries = list(
        LedgerEntry.objects.filter(dossier=dossier)
        .select_related("gateway_payment", "receipt")
        .order_by("id")
    )
    lines, balance = [], 0
    sums = {kind: 0 for kind in EntryKind}
    for entry in entries:
        signed = SIGN[EntryKind(entry.kind)] * entry.amount
        balance += signed
        sums[EntryKind(entry.kind)] += entry.amount
        lines.append(Line(entry, signed, balance))
    return Ledger(
        lines,
        Totals(
            charged=sums[EntryKind.CHARGE],
            waived=sums[EntryKind.WAIVER],
            paid=sums[EntryKind.PAYMENT],
            refunded=sums[EntryKind.REFUND],
        ),
    )


def online_payments(dossier: Dossier):
    """The dossier's online payments, newest first, with their history."""
    return (
        GatewayPayment.objects.filter(dossier=dossier)
        .prefetch_related("events")
        .order_by("-created_at", "-id")
    )


def receipt_visible_to(user, dossier_id: int, receipt_id: int) -> Receipt | None:
    """The receipt if ``user`` may see its dossier (selectors.visible_to), else None."""
    if not dossier_selectors.visible_to(user).filter(pk=dossier_id).exists():
        return None
    return Receipt.objects.select_related("entry").filter(pk=receipt_id, entry__dossier_id=dossier_id).first()


def payments_of_day(gateway: str, day: datetime.date):
    """The online payments started through ``gateway`` on ``day`` (the site's local day)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    return (
        GatewayPayment.objects.filter(gateway=gateway, created_at__gte=start, created_at__lt=end)
        .select_related("dossier")
        .order_by("created_at", "id")
    )


def receipts(dossier: Dossier):
    """The electronic receipts of the dossier's payments, in the order they were issued."""
    return Receipt.objects.filter(entry__dossier=dossier).order_by("issued_at", "id")
