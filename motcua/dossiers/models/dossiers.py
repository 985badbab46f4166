import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import Role
from motcua.core import clock
from motcua.dossiers.constants import (
    NATIONAL_STATUS,
    OPEN_STATUSES,
    ActionType,
    AttachmentKind,
    Channel,
    NoticeForm,
    PaymentMethod,
    ResultDelivery,
    SignatureState,
    Status,
    StepKind,
)


class Dossier(models.Model):
    """A dossier (hồ sơ): one application under one procedure version.

    The status and the holder are derived from the actions and stored here for fast queries;
    every change goes through motcua.dossiers.services, which appends an Action.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True, null=True, blank=True)
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name=_("thủ tục"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nộp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    applicant_name = models.CharField(_("họ tên người nộp"), max_length=255)
    applicant_identity = models.CharField(_("số định danh người nộp"), max_length=14, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ người nộp"), max_length=500, blank=True)
    # Applying on behalf of someone else (a business, a relative) records both.
    subject_name = models.CharField(_("người được đề nghị giải quyết"), max_length=255, blank=True)
    subject_identity = models.CharField(_("số định danh / mã số thuế"), max_length=14, blank=True)
    subject_relation = models.CharField(_("quan hệ với người nộp"), max_length=120, blank=True)

    channel = models.CharField(
        _("hình thức nộp"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    # How the applicant receives the result (motcua.dossiers.delivery), the postal address when by
    # post, and the parcel's tracking number the one-stop officer records when returning it.
    result_delivery = models.CharField(
        _("hình thức nhận kết quả"),
        max_length=10,
        choices=ResultDelivery.choices,
        default=ResultDelivery.IN_PERSON,
    )
    delivery_address = models.CharField(_("địa chỉ nhận kết quả qua bưu chính"), max_length=500, blank=True)
    postal_tracking_number = models.CharField(_("số hiệu bưu gửi"), max_length=40, blank=True)
    receiving_agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("nơi tiếp nhận"), on_delete=models.PROTECT, related_name="+"
    )
    deciding_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan giải quyết"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    holder_agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("đơn vị đang xử lý"), on_delete=models.PROTECT, related_name="+"
    )
    holder_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    current_step = models.ForeignKey(
        "dossiers.Step", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=Status.choices, default=Status.DRAFT)
    form_data = models.JSONField(_("nội dung tờ khai"), default=dict, blank=True)

    created_at = models.DateTimeField(_("ngày tạo"), default=clock.now)
    submitted_at = models.DateTimeField(_("ngày nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    counted_from = models.DateTimeField(_("tính thời hạn từ"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn trả kết quả"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("hạn ban đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("ngày có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ngày kết thúc"), null=True, blank=True)
    paused_since = models.DateTimeField(_("tạm dừng tính thời hạn từ"), null=True, blank=True)
    apologized = models.BooleanField(_("đã xin lỗi, hẹn lại"), default=False)
    fee_due = models.PositiveBigIntegerField(_("phí, lệ phí phải nộp"), default=0)
    revision = models.PositiveIntegerField(_("phiên bản"), default=0, help_text=_("Tăng mỗi lần xử lý."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-created_at"]
        indexes = [
            # The inbox's index on PostgreSQL is made by migration 0002 (an expression index).
            models.Index(
                fields=["holder_user", "due_at", "id"],
                name="dossier_user_inbox_idx",
                condition=Q(status__in=[1, 2, 4, 5, 6, 9]),
            ),
            models.Index(
                fields=["receiving_agency", "status", "submitted_at", "id"], name="dossier_reception_idx"
            ),
            models.Index(fields=["applicant", "-created_at"], name="dossier_applicant_idx"),
            # The dossier register (form 07): a unit's dossiers in the order received.
            models.Index(
                fields=["receiving_agency", "received_at", "id"],
                name="dossier_register_idx",
                condition=Q(received_at__isnull=False),
            ),
            models.Index(fields=["status", "due_at"], name="dossier_status_due_idx"),
        ]
        constraints = [
            # A submitted dossier to be returned by post has the address (a draft may lack it yet),
            # and one returned by post has its tracking number.
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT)
                | ~Q(result_delivery=ResultDelivery.POST)
                | ~Q(delivery_address=""),
                name="dossier_post_has_address",
            ),
            models.CheckConstraint(
                condition=~Q(
                    status=Status.RETURNED, result_delivery=ResultDelivery.POST, postal_tracking_number=""
                ),
                name="dossier_post_return_tracked",
            ),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def by_post(self) -> bool:
        return self.result_delivery == ResultDelivery.POST

    @property
    def national_status(self) -> str:
        return NATIONAL_STATUS[Status(self.status)]

    def is_overdue(self, now=None) -> bool:
        if self.due_at is None or self.status not in OPEN_STATUSES:
            return False
        return (now or clock.now()) > self.due_at


class Step(models.Model):
    """A step of this dossier's internal process, or a consultation with another unit."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại"), max_length=20, choices=StepKind.choices, default=StepKind.PROCESS)
    name = models.CharField(_("tên bước"), max_length=300)
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    share = models.DecimalField(_("tỷ lệ thời gian"), max_digits=5, decimal_places=4, default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("hạn"), null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["dossier", "order", "id"]
        indexes = [models.Index(fields=["agency", "kind", "completed_at"], name="step_agency_open_idx")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Action(models.Model):
    """One line of a dossier's history: append-only."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="actions")
    at = models.DateTimeField(_("thời điểm"), default=clock.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    type = models.CharField(_("hành động"), max_length=30, choices=ActionType.choices)
    status_before = models.PositiveSmallIntegerField(choices=Status.choices)
    status_after = models.PositiveSmallIntegerField(choices=Status.choices)
    step = models.ForeignKey(Step, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("ghi chú"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("lịch sử xử lý")
        verbose_name_plural = _("lịch sử xử lý")
        ordering = ["dossier", "at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_type_display()}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Dossier actions are append-only.")
        super().save(*args, **kwargs)

    @property
    def status_after_label(self) -> str:
        return str(Status(self.status_after).label)


def _upload_to(instance: "Attachment", filename: str) -> str:
    now = clock.now()
    return f"dossiers/{now:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(models.Model):
    """A file of a dossier: an applicant's document, a scan, a notice (forms 01–05) or the result.

    Stored under MEDIA_ROOT (outside the web root) with a random name; served only by a view that
    checks who is asking (motcua.dossiers.downloads).

    A document the system generates (a notice, the generated result) keeps the ``snapshot`` of what
    it prints, taken at issuance (motcua.dossiers.notices). It is *pending* until its PDF is rendered
    from that snapshot: no file yet, ``size`` None and ``sha256`` empty. A task renders it after the
    commit, or the first download does (motcua.dossiers.services.base.render_pending).
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("loại"), max_length=20, choices=AttachmentKind.choices)
    document = models.ForeignKey(
        "catalog.RequiredDocument",
        verbose_name=_("thành phần hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notice_form = models.CharField(_("mẫu"), max_length=2, choices=NoticeForm.choices, blank=True)
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(upload_to=_upload_to, max_length=255, blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=clock.now)
    superseded = models.BooleanField(_("đã thay thế"), default=False)
    # A document the dossier issues (a notice, the result) carries a code printed on it (QR) that opens
    # its public verification page, and the state of its digital signature (motcua.dossiers.documents).
    verification_code = models.CharField(max_length=20, unique=True, null=True, blank=True, editable=False)
    signature_state = models.CharField(
        _("chữ ký số"), max_length=20, choices=SignatureState.choices, blank=True, default=""
    )
    signature_note = models.CharField(_("ghi chú ký số"), max_length=300, blank=True)
    signed_by = models.CharField(_("người ký"), max_length=255, blank=True)
    signed_at = models.DateTimeField(_("thời điểm ký"), null=True, blank=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["dossier", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def pending(self) -> bool:
        """A generated document whose PDF is not rendered yet."""
        return not self.file

    @property
    def signed(self) -> bool:
        return self.signature_state == SignatureState.SIGNED


class Pause(models.Model):
    """A stop of the clock (supplement requested during processing)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["dossier", "started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(ended_at__isnull=True), name="one_open_pause"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d} → {self.ended_at or '…'}"


class Payment(models.Model):
    """A fee paid for a dossier (recorded at the counter here; online payment is a later plugin)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="payments")
    amount = models.PositiveBigIntegerField(_("số tiền"))
    method = models.CharField(_("hình thức"), max_length=20, choices=PaymentMethod.choices)
    reference = models.CharField(_("số biên lai / mã giao dịch"), max_length=100, blank=True)
    paid_at = models.DateTimeField(_("ngày nộp"), default=clock.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("thanh toán")
        verbose_name_plural = _("thanh toán")

    def __str__(self) -> str:
        return f"{self.amount:,} đ"


class DailySequence(models.Model):
    """The last dossier number used by an agency on a day (codes restart at 0001 each day)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="daily_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"
