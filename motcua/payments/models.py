"""A dossier's fee ledger, its online payments and their receipts.

The ledger (``LedgerEntry``) is the one place that says what a dossier owes and has paid: charges
(from the officer's payment request, itemised by the catalogue's fee lines the applicant's form asks
for), waivers, payments (at the counter or online) and refunds. The balance is derived from its lines.

``dossiers.Payment`` stays: it is what the dossiers app, which knows nothing of this one, writes when a
payment moves the dossier on (the "record payment" action). Each of its rows has exactly one ledger
line (``LedgerEntry.dossier_payment``): written with it by the services here, or taken into the ledger
by ``services.sync_ledger`` when another face recorded it directly.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core import clock
from motcua.dossiers.constants import PaymentMethod
from motcua.payments.constants import EntryKind, EventSource, PaymentStatus


class GatewayPayment(models.Model):
    """One online payment of a dossier's fees through a payment gateway (giao dịch thanh toán trực
    tuyến): started here, paid on the gateway, confirmed by the gateway's server."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="gateway_payments"
    )
    gateway = models.CharField(_("cổng thanh toán"), max_length=20)
    # Our reference at the gateway (MaThamChieu, vnp_TxnRef).
    reference = models.CharField(_("mã tham chiếu"), max_length=40, unique=True)
    amount = models.PositiveBigIntegerField(_("số tiền"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.CREATED
    )
    redirect_url = models.URLField(_("địa chỉ thanh toán"), max_length=2000, blank=True)
    # The gateway's own transaction number (MaGiaoDich, vnp_TransactionNo) and the payer's bank.
    gateway_transaction = models.CharField(_("mã giao dịch của cổng"), max_length=64, blank=True)
    bank_code = models.CharField(_("ngân hàng"), max_length=20, blank=True)
    # What the plugin needs later (the creation stamp a status query repeats...).
    gateway_data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), default=clock.now)
    paid_at = models.DateTimeField(_("ngày thanh toán"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("giao dịch thanh toán trực tuyến")
        verbose_name_plural = _("giao dịch thanh toán trực tuyến")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["gateway", "created_at"], name="payment_gateway_day_idx")]

    def __str__(self) -> str:
        return f"{self.gateway} {self.reference}"


class PaymentEvent(models.Model):
    """One change of an online payment's status, with what caused it (append-only)."""

    payment = models.ForeignKey(GatewayPayment, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("thời điểm"), default=clock.now)
    source = models.CharField(_("nguồn"), max_length=12, choices=EventSource.choices)
    status_before = models.CharField(max_length=12, choices=PaymentStatus.choices, blank=True)
    status_after = models.CharField(max_length=12, choices=PaymentStatus.choices)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # The gateway's message as received (no secret is in it).
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("diễn biến giao dịch")
        verbose_name_plural = _("diễn biến giao dịch")
        ordering = ["payment", "at", "id"]

    def __str__(self) -> str:
        return f"{self.status_before or '—'} → {self.status_after}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Payment events are append-only.")
        super().save(*args, **kwargs)


class LedgerEntry(models.Model):
    """One line of a dossier's fee ledger. Amounts are positive đồng; the kind gives the direction."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="ledger_entries"
    )
    kind = models.CharField(_("loại"), max_length=10, choices=EntryKind.choices)
    at = models.DateTimeField(_("thời điểm"), default=clock.now)
    label = models.CharField(_("nội dung"), max_length=500)
    amount = models.PositiveBigIntegerField(_("số tiền"))
    # A charge line: how many units at what price (the catalogue's fee line), and why it is exempt.
    quantity = models.PositiveIntegerField(_("số lượng"), default=1)
    unit = models.CharField(_("đơn vị tính"), max_length=60, blank=True)
    unit_amount = models.PositiveBigIntegerField(_("mức thu"), default=0)
    note = models.CharField(_("ghi chú"), max_length=1000, blank=True)
    # The officer's payment request a charge comes from, and its place in it.
    request_action = models.ForeignKey(
        "dossiers.Action", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    # A payment or refund: how, and its receipt or transaction number.
    method = models.CharField(_("hình thức"), max_length=20, choices=PaymentMethod.choices, blank=True)
    reference = models.CharField(_("số biên lai / mã giao dịch"), max_length=100, blank=True)
    gateway_payment = models.ForeignKey(
        GatewayPayment, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    # The dossier's record of this payment (the "record payment" action), for a payment line.
    dossier_payment = models.OneToOneField(
        "dossiers.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entry"
    )
    # The payment line a refund gives back (in whole, or what was paid beyond what was owed).
    refund_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("dòng sổ phí, lệ phí")
        verbose_name_plural = _("sổ phí, lệ phí")
        ordering = ["dossier", "at", "id"]
        constraints = [
            # A payment request is charged once, whoever writes its lines first.
            models.UniqueConstraint(
                fields=["request_action", "position"],
                condition=Q(request_action__isnull=False),
                name="ledger_charge_once",
            ),
            # An online payment is in the ledger once (the row lock decides; this is the last word).
            models.UniqueConstraint(
                fields=["gateway_payment"],
                condition=Q(kind="payment"),
                name="ledger_online_payment_once",
            ),
            # What a closed dossier no longer owes is waived once.
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(kind="waiver"), name="ledger_waiver_once"
            ),
            models.CheckConstraint(
                condition=Q(kind="refund", refund_of__isnull=False) | ~Q(kind="refund"),
                name="ledger_refund_names_its_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount:,} đ"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Ledger lines are append-only.")
        super().save(*args, **kwargs)


def _receipt_upload_to(instance: "Receipt", filename: str) -> str:
    now = clock.now()
    return f"receipts/{now:%Y/%m}/{uuid.uuid4().hex}.pdf"


class Receipt(models.Model):
    """The electronic receipt (biên lai điện tử) of one payment line.

    Like the dossiers' notices: the ``snapshot`` of what it prints is taken when the payment is recorded;
    the PDF is rendered from it after the commit (a task) or by the first download (motcua.payments
    .receipts). Stored under MEDIA_ROOT with a random name and served only to who may see the dossier.
    """

    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="receipt")
    number = models.CharField(_("số biên lai"), max_length=30, unique=True)
    issued_at = models.DateTimeField(_("ngày lập"), default=clock.now)
    snapshot = models.JSONField(editable=False)
    file = models.FileField(upload_to=_receipt_upload_to, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("biên lai điện tử")
        verbose_name_plural = _("biên lai điện tử")
        ordering = ["issued_at", "id"]

    def __str__(self) -> str:
        return self.number

    @property
    def pending(self) -> bool:
        return not self.file

    @property
    def file_name(self) -> str:
        return f"bien-lai-{self.number.replace('/', '-')}.pdf"
