"""Everything that writes money: the fee ledger, online payments and their confirmations, counter payments,
refunds and reconciliation.

Each service runs in one transaction and locks the dossier's row first (then, for a confirmation, the
payment's), the order every writer here and in motcua.dossiers.services follows, so that two of them
never wait on each other. A confirmation is applied exactly once: under the payment's row lock its
status says whether it was already applied, and a unique constraint on the ledger backs that up.

The dossier moves on only through motcua.dossiers.services: when an online payment settles what a
dossier in status 6 owes, ``record_payment`` is called with ``actor=None``, the system
(``rules.is_system``).
"""

import hashlib
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog import fees
from motcua.core import audit, clock
from motcua.dossiers import rules
from motcua.dossiers import services as dossier_services
from motcua.dossiers.constants import ActionType, PaymentMethod, Status
from motcua.dossiers.errors import DossierError, InvalidInput, NotAllowed, WrongState
from motcua.dossiers.models import Action, Dossier, Payment
from motcua.dossiers.notices import VN_TZ, format_vnd
from motcua.payments import gateways, receipts, selectors
from motcua.payments.constants import (
    MONEY_TAKEN,
    OPEN,
    REFUND_STATUSES,
    EntryKind,
    EventSource,
    Outcome,
    PaymentStatus,
)
from motcua.payments.gateways import Confirmation, Forged, GatewayError, Malformed, StartRequest
from motcua.payments.models import GatewayPayment, LedgerEntry, PaymentEvent, Receipt

logger = logging.getLogger(__name__)


class GatewayUnavailable(DossierError):
    """The gateway could not start the payment: nothing is owed to it, the payer may try again."""

    status_code = 503


# What the ledger and the payments' history record is an administrative record, written in Vietnamese
# whatever the language of the page that caused it (as the catalogue's fee names are).
REQUESTED_CHARGE = "Phí, lệ phí theo yêu cầu của cơ quan giải quyết"
COUNTER_PAYMENT = "Nộp phí, lệ phí"
ONLINE_PAYMENT = "Nộp phí, lệ phí trực tuyến"
WAIVED = "Không phải nộp: hồ sơ đã kết thúc ({status})"
REFUNDED = "Hoàn trả: {reason}"
CLOSED_REASON = "hồ sơ {status}"
NOT_OWED_REASON = "đã nộp đủ trước đó, khoản nộp này không còn phải nộp"
OVERPAID_REASON = "nộp thừa"
CLOSED_NOTE = "Hồ sơ đã kết thúc."
PAID_AT_COUNTER_NOTE = "Đã nộp trực tiếp tại Bộ phận Một cửa."
SUPERSEDED_NOTE = "Thay bằng giao dịch mới."


def _status_vi(status: int) -> str:
    with translation.override("vi"):
        return str(Status(status).label)


def _lock(dossier_id: int) -> Dossier:
    return Dossier.objects.select_for_update().get(pk=dossier_id)


# ---------------------------------------------------------------------------------------------
# The ledger


def sync_ledger(dossier: Dossier) -> None:
    """Bring the ledger of ``dossier`` (its row locked by the caller) up to what its history says:
    the charges of each payment request, the payments recorded by the dossier's own action (at the
    counter, through any face) and, once it is refused or withdrawn, the waiver of what it still owes
    and the refund of what it paid. Idempotent: what is already there is not written again."""
    _charge_requests(dossier)
    _take_in_recorded_payments(dossier)
    if dossier.status in REFUND_STATUSES:
        _close(dossier)


def _charge_requests(dossier: Dossier) -> None:
    """Charges for each payment request (yêu cầu thực hiện nghĩa vụ tài chính) not charged yet: the
    catalogue's lines the applicant's form asks for when they add up to the amount asked, else one line
    of the amount asked."""
    charged = LedgerEntry.objects.filter(dossier=dossier, request_action__isnull=False).values(
        "request_action_id"
    )
    requests = Action.objects.filter(dossier=dossier, type=ActionType.REQUEST_PAYMENT).exclude(pk__in=charged)
    for request in requests.order_by("at", "id"):
        amount = int(request.data.get("amount") or 0)
        lines = fees.charges(dossier.procedure_version, dossier.form_data)
        entries = []
        if lines and fees.total(lines) == amount:
            for position, line in enumerate(lines):
                entries.append(
                    LedgerEntry(
                        label=str(line.name)[:500],
                        amount=line.amount,
                        quantity=line.quantity,
                        unit=str(line.unit)[:60],
                        unit_amount=line.unit_amount,
                        note=str(line.note or "")[:1000],
                        position=position,
                    )
                )
        else:
            entries.append(
                LedgerEntry(
                    label=REQUESTED_CHARGE,
                    amount=amount,
                    unit_amount=amount,
                    note=request.note[:1000],
                )
            )
        for entry in entries:
            entry.dossier, entry.kind, entry.at, entry.request_action = (
                dossier,
                EntryKind.CHARGE,
                request.at,
                request,
            )
        LedgerEntry.objects.bulk_create(entries)


def _take_in_recorded_payments(dossier: Dossier) -> None:
    """A payment the dossier's own action recorded without this app (the API's record_payment, say)
    joins the ledger with its receipt."""
    for payment in Payment.objects.filter(dossier=dossier, ledger_entry__isnull=True).order_by(
        "paid_at", "id"
    ):
        entry = LedgerEntry.objects.create(
            dossier=dossier,
            kind=EntryKind.PAYMENT,
            at=payment.paid_at,
            label=COUNTER_PAYMENT,
            amount=payment.amount,
            method=payment.method,
            reference=payment.reference,
            dossier_payment=payment,
            recorded_by=payment.recorded_by,
        )
        issue_receipt(entry, collector=_officer_name(payment.recorded_by))


def _close(dossier: Dossier) -> None:
    """A refused or withdrawn dossier owes nothing: waive what is still charged, refund what was paid,
    cancel the online payments still open."""
    totals = selectors.totals(dossier)
    outstanding = totals.charged - totals.waived
    if outstanding > 0:
        LedgerEntry.objects.create(
            dossier=dossier,
            kind=EntryKind.WAIVER,
            label=WAIVED.format(status=_status_vi(dossier.status)),
            amount=outstanding,
        )
    reason = CLOSED_REASON.format(status=_status_vi(dossier.status).lower())
    for entry in LedgerEntry.objects.filter(dossier=dossier, kind=EntryKind.PAYMENT).order_by("at", "id"):
        left = entry.amount - selectors.refunded(entry)
        if left > 0:
            _refund(entry, left, reason=reason)
    for payment in GatewayPayment.objects.select_for_update().filter(dossier=dossier, status__in=OPEN):
        _set_status(payment, PaymentStatus.CANCELLED, EventSource.SUPERSEDED, note=CLOSED_NOTE)


def _refund(entry: LedgerEntry, amount: int, *, reason: str) -> LedgerEntry:
    """Give back ``amount`` of the payment line ``entry``; an online payment refunded whole is marked so
    (a refund of part of it, money paid beyond what was owed, leaves it paid)."""
    refund = LedgerEntry.objects.create(
        dossier_id=entry.dossier_id,
        kind=EntryKind.REFUND,
        label=REFUNDED.format(reason=reason),
        amount=amount,
        method=entry.method,
        reference=entry.reference,
        gateway_payment=entry.gateway_payment,
        refund_of=entry,
    )
    payment = entry.gateway_payment
    if payment is not None and selectors.refunded(entry) >= entry.amount:
        payment = GatewayPayment.objects.select_for_update().get(pk=payment.pk)
        _set_status(payment, PaymentStatus.REFUNDED, EventSource.REFUND, note=reason)
    audit.record(
        "payments.refund", obj=entry.dossier, summary=f"{amount} đ", entry=entry.pk, reason=str(reason)
    )
    return refund


def sync(dossier_id: int) -> None:
    """``sync_ledger`` in its own transaction (the receiver of the dossier's events calls this); a
    dossier deleted since (a draft) has nothing to sync."""
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().filter(pk=dossier_id).first()
        if dossier is not None:
            sync_ledger(dossier)


# ---------------------------------------------------------------------------------------------
# Receipts


def _officer_name(user: User | None) -> str:
    return (getattr(user, "full_name", "") or getattr(user, "username", "")) if user is not None else ""


def _charge_lines(dossier: Dossier) -> list[dict]:
    lines = []
    for entry in LedgerEntry.objects.filter(dossier=dossier, kind=EntryKind.CHARGE).order_by("at", "id"):
        count = f"{entry.quantity} {entry.unit} × {format_vnd(entry.unit_amount)}" if entry.unit else ""
        amount = format_vnd(entry.amount) if entry.amount else "Miễn"
        lines.append({"name": entry.label, "count": count, "amount": amount})
    return lines


def issue_receipt(entry: LedgerEntry, *, collector: str) -> Receipt:
    """The electronic receipt of payment line ``entry``: its snapshot now, its PDF after the commit.
    ``collector``: the officer who took the money; "" for an online payment (the gateway is named)."""
    dossier = entry.dossier
    number = f"{entry.at.astimezone(VN_TZ):%Y}-{entry.pk:07d}"
    with translation.override("vi"):  # a receipt is printed in Vietnamese, whoever's page caused it
        if entry.method == PaymentMethod.ONLINE and entry.gateway_payment_id:
            method = f"Thanh toán trực tuyến qua {_gateway_label(entry.gateway_payment)}"
        else:
            method = str(PaymentMethod(entry.method).label) if entry.method else ""
        collector = collector or _gateway_label(entry.gateway_payment)
    snapshot = receipts.prepare(
        number=number,
        dossier=dossier,
        issued_at=entry.at,
        amount=entry.amount,
        method=method,
        reference=entry.reference,
        charges=_charge_lines(dossier),
        collector=collector,
        lookup_url=dossier_services.lookup_url(dossier),
    )
    receipt = Receipt.objects.create(entry=entry, number=number, issued_at=entry.at, snapshot=snapshot)
    from motcua.payments.tasks import render_receipt  # tasks.py imports this module

    transaction.on_commit(lambda: render_receipt.enqueue(receipt.pk))
    return receipt


def render_receipt_pdf(receipt: Receipt) -> bool:
    """Render a receipt's PDF from its snapshot and store it; whether this call stored it. As the
    dossiers' generated documents (motcua.dossiers.services.base.render_pending): under the receipt's row
    lock so that the task and a download render it once; on SQLite (no row lock) laid out first and
    stored only if still pending. ``receipt`` is updated in place."""
    pdf = None
    if not connection.features.has_select_for_update:
        current = Receipt.objects.get(pk=receipt.pk)
        if current.pending:
            pdf = receipts.render(current.snapshot)
    stored = False
    with transaction.atomic():
        row = Receipt.objects.select_for_update().get(pk=receipt.pk)
        if row.pending:
            pdf = receipts.render(row.snapshot) if pdf is None else pdf
            row.file.save(row.file_name, ContentFile(pdf), save=False)
            row.size = len(pdf)
            row.sha256 = hashlib.sha256(pdf).hexdigest()
            row.save(update_fields=["file", "size", "sha256"])
            stored = True
    receipt.file, receipt.size, receipt.sha256 = row.file, row.size, row.sha256
    return stored


def _gateway_label(payment: GatewayPayment | None) -> str:
    if payment is None:
        return ""
    try:
        return str(gateways.get(payment.gateway).label)
    except LookupError:
        return payment.gateway


# ---------------------------------------------------------------------------------------------
# Counter payments


def record_counter_payment(
    dossier: Dossier,
    *,
    actor: User,
    amount: int,
    method: str = PaymentMethod.CASH,
    reference: str = "",
    expected_revision: int | None = None,
) -> Payment:
    """A payment made at the counter or by transfer (the staff page's "Ghi nhận đã nộp phí"): the
    dossier's action (which checks who may record it and moves the dossier on) and the ledger line with
    its receipt, in one transaction. Online payments still open are cancelled: this one settles it."""
    with transaction.atomic():
        row = _lock(dossier.pk)
        sync_ledger(row)
        payment = dossier_services.record_payment(
            dossier,
            actor=actor,
            amount=amount,
            method=method,
            reference=reference,
            expected_revision=expected_revision,
        )
        entry = LedgerEntry.objects.create(
            dossier=row,
            kind=EntryKind.PAYMENT,
            at=payment.paid_at,
            label=COUNTER_PAYMENT,
            amount=payment.amount,
            method=payment.method,
            reference=payment.reference,
            dossier_payment=payment,
            recorded_by=actor,
        )
        issue_receipt(entry, collector=_officer_name(actor))
        for open_payment in GatewayPayment.objects.select_for_update().filter(dossier=row, status__in=OPEN):
            _set_status(
                open_payment,
                PaymentStatus.CANCELLED,
                EventSource.SUPERSEDED,
                note=PAID_AT_COUNTER_NOTE,
            )
    return payment


# ---------------------------------------------------------------------------------------------
# Online payments


def _set_status(
    payment: GatewayPayment,
    status: PaymentStatus,
    source: EventSource,
    *,
    note: str = "",
    data: dict | None = None,
    also: tuple[str, ...] = (),
) -> None:
    """Change an online payment's status (and the fields ``also`` names, set by the caller) and append
    the event (the payment's row is locked)."""
    before = payment.status
    payment.status = status
    payment.save(update_fields=["status", "updated_at", *also])
    PaymentEvent.objects.create(
        payment=payment,
        source=source,
        status_before=before,
        status_after=status,
        note=str(note)[:500],
        data=data or {},
    )


def may_pay(user, dossier: Dossier) -> bool:
    """Whether ``user`` may pay ``dossier``'s fees online now: its applicant, while payment is requested."""
    return dossier.status == Status.PAYMENT and rules.is_applicant(user, rules.Facts(dossier, user))


def _new_reference() -> str:
    """Our reference at the gateway: letters and digits only (every gateway takes them), unguessable."""
    return "MC" + secrets.token_hex(9).upper()


def start_payment(
    dossier: Dossier, *, actor: User, gateway: str, return_url: str, client_ip: str = ""
) -> GatewayPayment:
    """The applicant starts paying what ``dossier`` owes through ``gateway``: the payment is recorded
    (created), the gateway told (outside any lock: it may take seconds), then it is pending with the
    address to send the payer to. Other open payments of the dossier are cancelled (superseded).
    Raises NotAllowed, WrongState (nothing owed, not in status 6), InvalidInput (unknown gateway) or
    GatewayUnavailable (the payment is then failed)."""
    if not gateways.is_enabled(gateway):
        message = _("Cổng thanh toán không hợp lệ.")
        raise InvalidInput(message, errors={"gateway": [message]})
    plugin = gateways.get(gateway)
    with transaction.atomic():
        row = _lock(dossier.pk)
        if not rules.is_applicant(actor, rules.Facts(row, actor)):
            raise NotAllowed(_("Chỉ người nộp hồ sơ được thanh toán phí, lệ phí của hồ sơ này."))
        if row.status != Status.PAYMENT:
            raise WrongState(_("Hồ sơ không ở trạng thái chờ thực hiện nghĩa vụ tài chính."))
        sync_ledger(row)
        owed = selectors.totals(row).balance
        if owed <= 0:
            raise WrongState(_("Hồ sơ không còn khoản phí, lệ phí nào phải nộp."))
        for open_payment in GatewayPayment.objects.select_for_update().filter(dossier=row, status__in=OPEN):
            _set_status(open_payment, PaymentStatus.CANCELLED, EventSource.SUPERSEDED, note=SUPERSEDED_NOTE)
        payment = GatewayPayment.objects.create(
            dossier=row,
            gateway=gateway,
            reference=_new_reference(),
            amount=owed,
            created_by=actor,
            client_ip=client_ip or None,
        )
        PaymentEvent.objects.create(
            payment=payment,
            source=EventSource.START,
            status_after=PaymentStatus.CREATED,
            note=str(plugin.label),
        )
        audit.record(
            "payments.start", actor=actor, obj=row, summary=f"{gateway} {owed} đ", payment=payment.pk
        )
        fee_lines = [
            (entry.label, entry.amount)
            for entry in LedgerEntry.objects.filter(dossier=row, kind=EntryKind.CHARGE, amount__gt=0)
        ]
    request = StartRequest(
        reference=payment.reference,
        amount=payment.amount,
        description=f"Nop phi ho so {row.code}",
        return_url=return_url,
        client_ip=client_ip,
        created_at=payment.created_at,
        dossier_code=row.code or "",
        procedure_code=row.procedure_version.procedure.code,
        agency_code=row.receiving_agency.code,
        payer_name=row.applicant_name,
        payer_identity=row.applicant_identity,
        fee_lines=fee_lines,
    )
    try:
        started = plugin.start(request)
    except GatewayError as exc:
        logger.warning("payment %s could not start at %s: %s", payment.reference, gateway, exc)
        with transaction.atomic():
            locked = GatewayPayment.objects.select_for_update().get(pk=payment.pk)
            if locked.status == PaymentStatus.CREATED:
                _set_status(locked, PaymentStatus.FAILED, EventSource.START, note=str(exc))
        raise GatewayUnavailable(
            _("Cổng thanh toán chưa trả lời; vui lòng thử lại sau hoặc chọn cổng khác.")
        ) from None
    with transaction.atomic():
        payment = GatewayPayment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == PaymentStatus.CREATED:
            payment.redirect_url = started.redirect_url
            payment.gateway_data = started.data
            _set_status(
                payment, PaymentStatus.PENDING, EventSource.START, also=("redirect_url", "gateway_data")
            )
    return payment


@dataclass
class Applied:
    """What became of a confirmation: the outcome to answer, and the payment it was about (if found)."""

    outcome: Outcome
    payment: GatewayPayment | None = None


def _refused(outcome: Outcome, gateway: str, reason: str, source: EventSource, **data) -> Applied:
    """A confirmation refused: logged, in the audit log, and nothing else."""
    logger.warning("%s confirmation from %s refused: %s %s", gateway, source, reason, data)
    audit.record(
        "payments.confirmation_refused", summary=f"{gateway}: {reason}"[:400], outcome=outcome.value, **data
    )
    return Applied(outcome)


def read_and_apply(
    gateway: str, *, source: EventSource, query: dict[str, str], body: bytes = b"", client_ip: str = ""
) -> tuple[Applied, Confirmation | None]:
    """Read a gateway's message (its IPN, or the payer's return) and apply it; a forged or malformed
    one is refused and logged."""
    plugin = gateways.get(gateway)
    try:
        confirmation = (
            plugin.read_confirmation(query, body)
            if source == EventSource.GATEWAY
            else plugin.read_return(query)
        )
    except Forged as exc:
        return _refused(Outcome.FORGED, gateway, str(exc), source, client_ip=client_ip, query=query), None
    except Malformed as exc:
        return _refused(Outcome.MALFORMED, gateway, str(exc), source, client_ip=client_ip, query=query), None
    return apply_confirmation(gateway, confirmation, source=source), confirmation


def apply_confirmation(gateway: str, confirmation: Confirmation, *, source: EventSource) -> Applied:
    """Apply a verified confirmation exactly once.

    Under the dossier's then the payment's row lock: a payment whose money is already taken answers
    ALREADY_CONFIRMED and changes nothing (a replay); a wrong amount is refused (INVALID_AMOUNT). A
    success makes it paid, writes the ledger line and the receipt, and, when that settles what a
    dossier in status 6 owes, records the payment on the dossier (status 4). Money that was not owed
    (the dossier closed, or already paid another way) is refunded at once. A failure or cancellation
    of an open payment is recorded as such."""
    found = GatewayPayment.objects.filter(gateway=gateway, reference=confirmation.reference).first()
    if found is None:
        return _refused(
            Outcome.NOT_FOUND, gateway, "no such payment", source, reference=confirmation.reference[:64]
        )
    with transaction.atomic():
        dossier = _lock(found.dossier_id)
        payment = GatewayPayment.objects.select_for_update().get(pk=found.pk)
        if confirmation.amount != payment.amount:
            return _refused(
                Outcome.INVALID_AMOUNT,
                gateway,
                f"amount {confirmation.amount} for a payment of {payment.amount}",
                source,
                reference=payment.reference,
            )
        if payment.status in MONEY_TAKEN:
            return Applied(Outcome.ALREADY_CONFIRMED, payment)
        if confirmation.status != PaymentStatus.PAID:
            if payment.status not in OPEN:
                return Applied(Outcome.ALREADY_CONFIRMED, payment)
            _set_status(payment, confirmation.status, source, data=confirmation.message)
            return Applied(Outcome.CONFIRMED, payment)
        _paid(dossier, payment, confirmation, source)
    return Applied(Outcome.CONFIRMED, payment)


def _paid(dossier: Dossier, payment: GatewayPayment, confirmation: Confirmation, source: EventSource) -> None:
    payment.gateway_transaction = confirmation.transaction_no[:64]
    payment.bank_code = confirmation.bank_code[:20]
    payment.paid_at = confirmation.paid_at or clock.now()
    _set_status(
        payment,
        PaymentStatus.PAID,
        source,
        data=confirmation.message,
        also=("gateway_transaction", "bank_code", "paid_at"),
    )
    sync_ledger(dossier)
    owed = selectors.totals(dossier).balance
    settles = dossier.status == Status.PAYMENT and 0 < owed <= payment.amount
    recorded = None
    if settles:
        recorded = dossier_services.record_payment(
            dossier,
            actor=None,  # the system (rules.is_system)
            amount=payment.amount,
            method=PaymentMethod.ONLINE,
            reference=payment.gateway_transaction or payment.reference,
        )
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                dossier=dossier,
                kind=EntryKind.PAYMENT,
                at=payment.paid_at,
                label=ONLINE_PAYMENT,
                amount=payment.amount,
                method=PaymentMethod.ONLINE,
                reference=payment.gateway_transaction or payment.reference,
                gateway_payment=payment,
                dossier_payment=recorded,
            )
    except IntegrityError:  # the row lock makes this unreachable; the constraint is the last word
        raise DossierError(_("Giao dịch này đã được ghi nhận.")) from None
    issue_receipt(entry, collector="")  # the gateway collected it
    audit.record(
        "payments.paid", obj=dossier, summary=f"{payment.gateway} {payment.amount} đ", payment=payment.pk
    )
    if dossier.status in REFUND_STATUSES:  # (record_payment refreshed the row it moved)
        _close(dossier)
    elif owed <= 0:
        _refund(entry, entry.amount, reason=NOT_OWED_REASON)
    elif owed < payment.amount:
        _refund(entry, payment.amount - owed, reason=OVERPAID_REASON)


# ---------------------------------------------------------------------------------------------
# Reconciliation


@dataclass
class ReconciliationLine:
    reference: str
    dossier: str
    ours: str
    theirs: str
    result: str  # "agree", "fixed", "mismatch", "error"
    note: str = ""


@dataclass
class Reconciliation:
    gateway: str
    day: str
    lines: list[ReconciliationLine] = field(default_factory=list)

    def count(self, result: str) -> int:
        return sum(1 for line in self.lines if line.result == result)


def reconcile(day, gateway: str, payments: Iterable[GatewayPayment] | None = None) -> Reconciliation:
    """Compare the day's online payments through ``gateway`` with the gateway's status answers: apply a
    confirmation we missed (the gateway says paid or failed, we still wait), report what cannot be fixed
    here (a payment the gateway does not know; one we hold paid and it does not)."""
    plugin = gateways.get(gateway)
    report = Reconciliation(gateway=gateway, day=day.isoformat())
    rows = payments if payments is not None else selectors.payments_of_day(gateway, day)
    for payment in rows:
        ours = payment.status
        code = payment.dossier.code or ""
        try:
            answer = plugin.query(payment.reference, payment.gateway_data, "127.0.0.1")
        except GatewayError as exc:
            report.lines.append(ReconciliationLine(payment.reference, code, ours, "?", "error", str(exc)))
            continue
        if not answer.known:
            if ours == PaymentStatus.CREATED:
                note = _("Chưa đến cổng thanh toán (không khởi tạo được).")
                report.lines.append(ReconciliationLine(payment.reference, code, ours, "—", "agree", note))
            else:
                note = _("Cổng thanh toán không biết giao dịch này.")
                report.lines.append(ReconciliationLine(payment.reference, code, ours, "—", "mismatch", note))
            continue
        theirs = answer.status or ""
        settled = answer.confirmation is not None
        if settled and (
            (theirs == PaymentStatus.PAID and ours not in MONEY_TAKEN)
            or (theirs != PaymentStatus.PAID and ours in OPEN)
        ):
            assert answer.confirmation is not None
            applied = apply_confirmation(gateway, answer.confirmation, source=EventSource.RECONCILE)
            if applied.outcome == Outcome.CONFIRMED:
                note = _("Đã áp dụng xác nhận bị lỡ.")
                report.lines.append(ReconciliationLine(payment.reference, code, ours, theirs, "fixed", note))
            else:
                report.lines.append(
                    ReconciliationLine(
                        payment.reference, code, ours, theirs, "mismatch", str(applied.outcome.label)
                    )
                )
        elif ours in MONEY_TAKEN and theirs != PaymentStatus.PAID:
            note = _("Chúng tôi ghi nhận đã thanh toán, cổng thanh toán thì không.")
            report.lines.append(ReconciliationLine(payment.reference, code, ours, theirs, "mismatch", note))
        else:
            report.lines.append(ReconciliationLine(payment.reference, code, ours, theirs, "agree"))
    audit.record(
        "payments.reconcile",
        summary=f"{gateway} {report.day}: {report.count('fixed')} fixed, "
        f"{report.count('mismatch')} mismatches",
        gateway=gateway,
        day=report.day,
    )
    return report
