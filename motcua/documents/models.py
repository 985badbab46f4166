"""Official documents (văn bản hành chính, Decree 30/2020/NĐ-CP): their types, the registers that
number them, the documents themselves (outgoing and incoming), their recipients, files, reviews,
assignments and history."""

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core import clock
from motcua.documents.constants import (
    OPEN_INCOMING,
    ActionType,
    AmendmentKind,
    AmendmentState,
    Channel,
    Confidentiality,
    DeliveryState,
    Direction,
    FileKind,
    ReviewDecision,
    Status,
    Urgency,
)


class DocumentType(models.Model):
    """A type of administrative document (Decree 30, Appendix III) and its abbreviation in the
    notation (ký hiệu): "QĐ" for a decision. Công văn and thư công have none: a công văn's notation
    is the agency's abbreviation and the drafting unit's ("123/UBND-VP")."""

    code = models.SlugField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên loại văn bản"), max_length=120)
    abbreviation = models.CharField(_("chữ viết tắt"), max_length=10, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Register(models.Model):
    """A register (sổ văn bản) of an agency, outgoing or incoming. Its numbers restart at 01 every
    1 January (``RegisterCounter`` per year); a register kept for one year only names it."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="document_registers",
    )
    direction = models.CharField(_("loại sổ"), max_length=3, choices=Direction.choices)
    name = models.CharField(_("tên sổ"), max_length=200)
    # The issuing agency's abbreviation in the notation: "UBND" in "123/QĐ-UBND".
    agency_abbreviation = models.CharField(
        _("chữ viết tắt tên cơ quan"),
        max_length=30,
        blank=True,
        help_text=_("Dùng trong ký hiệu văn bản đi, ví dụ UBND trong 123/QĐ-UBND."),
    )
    year = models.PositiveSmallIntegerField(
        _("năm"),
        null=True,
        blank=True,
        help_text=_("Để trống: sổ dùng nhiều năm, số bắt đầu lại từ 01 mỗi ngày 01/01."),
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("sổ văn bản")
        verbose_name_plural = _("sổ văn bản")
        ordering = ["agency", "direction", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "direction", "name"], name="register_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.agency}"


class RegisterCounter(models.Model):
    """The last number given in a register in a year; taken by one INSERT … ON CONFLICT … RETURNING
    (motcua.documents.numbering), which the database serialises per row."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số đã cấp trong năm")
        verbose_name_plural = _("số đã cấp trong năm")
        constraints = [models.UniqueConstraint(fields=["register", "year"], name="register_counter_unique")]

    def __str__(self) -> str:
        return f"{self.register} {self.year}: {self.last}"


class OfficialDocumentQuerySet(models.QuerySet):
    def outgoing(self) -> "OfficialDocumentQuerySet":
        return self.filter(direction=Direction.OUTGOING)

    def incoming(self) -> "OfficialDocumentQuerySet":
        return self.filter(direction=Direction.INCOMING)

    def overdue(self, today: datetime.date | None = None) -> "OfficialDocumentQuerySet":
        today = today or clock.localdate()
        return self.filter(status__in=OPEN_INCOMING, due_on__lt=today)


class OfficialDocument(models.Model):
    """A document an agency issues (outgoing, văn bản đi) or receives (incoming, văn bản đến), with
    the components of Decree 30 Art. 8: issuing agency, number and notation, place and date, type
    and summary (trích yếu), body, signer's title and name, recipients.

    The number is null until the document is issued (outgoing) or registered (incoming); it is
    unique per register per year. ``status`` and the handler are what the last action left.
    """

    direction = models.CharField(_("loại"), max_length=3, choices=Direction.choices)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="official_documents",
        help_text=_("Cơ quan ban hành (văn bản đi) hoặc cơ quan nhận (văn bản đến)."),
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices)
    register = models.ForeignKey(
        Register,
        verbose_name=_("sổ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    year = models.PositiveSmallIntegerField(_("năm đăng ký"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    notation = models.CharField(_("số, ký hiệu"), max_length=60, blank=True, db_index=True)
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("loại văn bản"), on_delete=models.PROTECT, related_name="documents"
    )
    # The drafting unit's abbreviation in a công văn's notation: "VP" in "123/UBND-VP".
    unit_abbreviation = models.CharField(_("chữ viết tắt đơn vị soạn thảo"), max_length=20, blank=True)
    summary = models.CharField(_("trích yếu nội dung"), max_length=500)
    body = models.TextField(_("nội dung"), blank=True)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    urgency = models.CharField(_("độ khẩn"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.CharField(
        _("độ mật"), max_length=20, choices=Confidentiality.choices, default=Confidentiality.NORMAL
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=120, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người soạn thảo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("hạn xử lý"), null=True, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ liên quan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="official_documents",
    )
    answers = models.ForeignKey(
        "self",
        verbose_name=_("trả lời văn bản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answered_by",
    )
    # A document that replaces an earlier one (edXML business type 3): outgoing, the one we sent before;
    # incoming, the one the sender replaced (marked replaced when the replacement is accepted).
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("thay thế văn bản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
    )
    replace_reason = models.CharField(_("lý do thay thế"), max_length=400, blank=True)
    # Incoming: who sent it, and its number there.
    sender_organ_id = models.CharField(_("mã định danh nơi gửi"), max_length=35, blank=True, db_index=True)
    sender_name = models.CharField(_("nơi gửi"), max_length=255, blank=True)
    sender_notation = models.CharField(_("số, ký hiệu của nơi gửi"), max_length=60, blank=True)
    sender_date = models.DateField(_("ngày văn bản của nơi gửi"), null=True, blank=True)
    received_at = models.DateTimeField(_("thời điểm đến"), null=True, blank=True)
    received_electronically = models.BooleanField(_("nhận qua trục liên thông"), default=False)
    # The document's identifier on the exchange (edXML DocumentId), set by motcua.exchange.
    exchange_id = models.CharField(
        _("mã văn bản trên trục liên thông"), max_length=200, blank=True, db_index=True
    )
    # The current handler of an incoming document (the last assignment's).
    department = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("đơn vị xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_digitally = models.BooleanField(_("ký số"), default=False)
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("tạo lúc"), default=clock.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=clock.now)

    objects = OfficialDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "year", "number"],
                condition=Q(number__isnull=False),
                name="document_number_unique_per_register_year",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | (Q(register__isnull=False) & Q(year__isnull=False)),
                name="document_number_has_register_and_year",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "direction", "status"], name="document_agency_status_idx"),
            models.Index(fields=["status", "due_on"], name="document_due_idx"),
        ]

    def __str__(self) -> str:
        return self.notation or self.summary[:60]

    @property
    def is_outgoing(self) -> bool:
        return self.direction == Direction.OUTGOING

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or clock.localdate()
        return self.status in OPEN_INCOMING and self.due_on is not None and self.due_on < today


class Recipient(models.Model):
    """Where an outgoing document goes (nơi nhận): an agency on the exchange, or a recipient on paper."""

    document = models.ForeignKey(OfficialDocument, on_delete=models.CASCADE, related_name="recipients")
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organ_id = models.CharField(_("mã định danh nơi nhận"), max_length=35, blank=True)
    name = models.CharField(_("nơi nhận"), max_length=255)
    channel = models.CharField(_("hình thức gửi"), max_length=12, choices=Channel.choices)
    state = models.CharField(
        _("tình trạng gửi"), max_length=12, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    # The last edXML status the recipient reported (03 received, 04 assigned ...), and when.
    status_code = models.CharField(_("trạng thái tại nơi nhận"), max_length=2, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nơi nhận")
        verbose_name_plural = _("nơi nhận")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def status_label(self) -> str:
        from motcua.documents.constants import REMOTE_STATUS_LABELS

        return str(REMOTE_STATUS_LABELS.get(self.status_code, "")) if self.status_code else ""


def document_file_path(instance: "DocumentFile", filename: str) -> str:
    import secrets

    return f"documents/{clock.now():%Y/%m}/{secrets.token_hex(16)}{instance.extension}"


class DocumentFile(models.Model):
    """A file of a document: the draft's body file, a paper scan, an attachment, the signed and the
    issued PDF. Served only by views that check the requester."""

    document = models.ForeignKey(OfficialDocument, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("loại tệp"), max_length=12, choices=FileKind.choices)
    file = models.FileField(upload_to=document_file_path, max_length=200)
    name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=clock.now)
    signed_by = models.CharField(_("người ký"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tệp văn bản")
        verbose_name_plural = _("tệp văn bản")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    """An officer asked for their opinion on a draft (one round per submission)."""

    document = models.ForeignKey(OfficialDocument, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người xem xét"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(
        _("ý kiến"), max_length=12, choices=ReviewDecision.choices, default=ReviewDecision.PENDING
    )
    note = models.TextField(_("ghi chú"), blank=True)
    asked_at = models.DateTimeField(default=clock.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ý kiến xem xét")
        verbose_name_plural = _("ý kiến xem xét")
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.get_decision_display()}"


class Assignment(models.Model):
    """A leader gives an incoming document to a department and an officer, with a deadline."""

    document = models.ForeignKey(OfficialDocument, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("đơn vị xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người xử lý"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("hạn xử lý"))
    note = models.TextField(_("ý kiến chỉ đạo"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("phân công xử lý")
        verbose_name_plural = _("phân công xử lý")
        ordering = ["assigned_at", "id"]

    def __str__(self) -> str:
        return f"{self.document} → {self.officer}"


class DocumentAction(models.Model):
    """One line of a document's history (append-only)."""

    document = models.ForeignKey(OfficialDocument, on_delete=models.CASCADE, related_name="actions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    type = models.CharField(_("hành động"), max_length=20, choices=ActionType.choices)
    at = models.DateTimeField(_("thời điểm"), default=clock.now)
    status_before = models.CharField(max_length=20, choices=Status.choices, blank=True)
    status_after = models.CharField(max_length=20, choices=Status.choices)
    note = models.TextField(_("ghi chú"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("lịch sử văn bản")
        verbose_name_plural = _("lịch sử văn bản")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.document} · {self.get_type_display()}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Document actions are append-only.")
        super().save(*args, **kwargs)


class Amendment(models.Model):
    """The sender of an incoming document asks to update its details or to replace it by a new one
    (edXML business type 2 or 3); the receiving agency's clerk or leader accepts (status 15 back) or
    refuses (16). An update's ``changes`` are ``{field: [current, proposed]}``, applied on acceptance;
    a replacement's new document is ``replacement`` (filed, linked to this one by ``replaces``)."""

    document = models.ForeignKey(
        OfficialDocument, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="amendments"
    )
    kind = models.CharField(_("đề nghị"), max_length=10, choices=AmendmentKind.choices)
    reason = models.CharField(_("lý do"), max_length=1000, blank=True)
    changes = models.JSONField(_("nội dung cập nhật"), default=dict, blank=True)
    replacement = models.ForeignKey(
        OfficialDocument,
        verbose_name=_("văn bản thay thế"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("tình trạng"), max_length=12, choices=AmendmentState.choices, default=AmendmentState.PENDING
    )
    staff = models.CharField(_("người đề nghị"), max_length=255, blank=True)
    asked_at = models.DateTimeField(default=clock.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        verbose_name = _("đề nghị cập nhật, thay thế")
        verbose_name_plural = _("đề nghị cập nhật, thay thế")
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return f"{self.document} · {self.get_kind_display()} · {self.get_state_display()}"

    def change_lines(self) -> list[tuple[str, str, str]]:
        """``(what, current, proposed)`` of an update as a reader sees them: the field's name, the
        urgency's label, a date as dd/mm/yyyy ("" for none)."""
        labels = {"summary": _("Trích yếu"), "urgency": _("Độ khẩn"), "due_on": _("Hạn xử lý")}
        return [
            (str(labels.get(name, name)), _shown(name, values[0]), _shown(name, values[1]))
            for name, values in (self.changes or {}).items()
        ]


def _shown(name: str, value: Any) -> str:
    if not value:
        return ""
    if name == "urgency":
        return str(Urgency(value).label) if value in Urgency.values else str(value)
    if name == "due_on":
        try:
            return datetime.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    return str(value)
