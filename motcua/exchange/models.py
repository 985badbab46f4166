"""The exchange's records: the peers we exchange with, every package sent or received (its bytes as they
went over the wire), and the status messages about documents."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core import clock
from motcua.exchange.constants import (
    BusinessType,
    Direction,
    MessageType,
    PackageState,
    StatusCode,
    Transport,
)


class Peer(models.Model):
    """An agency on the exchange (cơ quan liên thông), configured by an administrator: its identifier
    (mã định danh, the OrganId of its packages), where its packages go, and the certificate its
    packages must be signed with. Packages from an identifier that is not an active peer are refused."""

    organ_id = models.CharField(_("mã định danh"), max_length=35, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=255)
    transport = models.CharField(
        _("đường gửi"), max_length=20, choices=Transport.choices, default=Transport.DIRECT
    )
    endpoint_url = models.URLField(
        _("địa chỉ hệ thống nhận"),
        blank=True,
        help_text=_("Gửi trực tiếp: địa chỉ gốc của hệ thống nơi nhận, ví dụ https://vanban.tinh-b.gov.vn."),
    )
    certificate_pem = models.TextField(
        _("chứng thư số (PEM)"), help_text=_("Chứng thư số dùng để ký gói tin của cơ quan này.")
    )
    active = models.BooleanField(_("đang liên thông"), default=True)
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("cơ quan liên thông")
        verbose_name_plural = _("cơ quan liên thông")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organ_id})"

    def clean(self) -> None:
        from motcua.exchange.signature import check_certificate_pem

        errors = {}
        try:
            check_certificate_pem(self.certificate_pem or "")
        except ValueError:
            errors["certificate_pem"] = _(
                "Chứng thư số phải là một chứng thư X.509 dạng PEM (-----BEGIN CERTIFICATE-----)."
            )
        if self.transport == Transport.DIRECT and not self.endpoint_url:
            errors["endpoint_url"] = _("Gửi trực tiếp cần địa chỉ hệ thống nơi nhận.")
        if errors:
            raise ValidationError(errors)


class Package(models.Model):
    """One edXML package, sent to one peer or received from one: its bytes exactly as they went over
    the wire (``raw``, with their SHA-256), what it is about, and where its delivery stands. An
    outgoing package is the exchange's outbox row: it is written in the transaction of the change that
    calls for it, and sent after the commit with retries (motcua.exchange.services.deliver)."""

    direction = models.CharField(_("chiều"), max_length=3, choices=Direction.choices)
    message_type = models.CharField(_("loại gói tin"), max_length=10, choices=MessageType.choices)
    business_type = models.PositiveSmallIntegerField(
        _("nghiệp vụ"), choices=BusinessType.choices, null=True, blank=True
    )
    status_code = models.CharField(_("mã trạng thái"), max_length=2, choices=StatusCode.choices, blank=True)
    peer = models.ForeignKey(
        Peer, verbose_name=_("cơ quan liên thông"), on_delete=models.PROTECT, related_name="packages"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan của hệ thống"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_packages",
    )
    # The edXML DocumentId of the document the package carries or answers.
    edxml_document_id = models.CharField(_("mã văn bản liên thông"), max_length=255, db_index=True)
    code = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    promulgation_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    subject = models.CharField(_("trích yếu"), max_length=1000, blank=True)
    raw = models.BinaryField(_("gói tin"), editable=False)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(default=0)
    state = models.CharField(_("tình trạng"), max_length=10, choices=PackageState.choices)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    remote_reference = models.CharField(_("mã bên nhận"), max_length=100, blank=True)
    # The official document the package carries (or answers), and for an outgoing one its recipient.
    document = models.ForeignKey(
        "documents.OfficialDocument",
        verbose_name=_("văn bản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_packages",
    )
    recipient = models.ForeignKey(
        "documents.Recipient",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_packages",
    )
    created_at = models.DateTimeField(default=clock.now, db_index=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("gói tin liên thông")
        verbose_name_plural = _("gói tin liên thông")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same package delivered twice (a retry after a lost answer) is received once by each
            # of our agencies it is for.
            models.UniqueConstraint(
                fields=["peer", "agency", "sha256"],
                condition=Q(direction="in"),
                name="incoming_package_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["state", "next_attempt_at"], condition=Q(direction="out"), name="exchange_outbox_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.message_type} {self.code or self.edxml_document_id}"

    @staticmethod
    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()


class StatusMessage(models.Model):
    """A status message about a document, sent (we received the document) or received (we sent it):
    the log the sender reads to follow its document at each recipient."""

    direction = models.CharField(_("chiều"), max_length=3, choices=Direction.choices)
    package = models.OneToOneField(Package, on_delete=models.CASCADE, related_name="status_message")
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="status_messages")
    edxml_document_id = models.CharField(_("mã văn bản liên thông"), max_length=255, db_index=True)
    status_code = models.CharField(_("mã trạng thái"), max_length=2, choices=StatusCode.choices)
    description = models.CharField(_("mô tả"), max_length=1000, blank=True)
    staff = models.CharField(_("cán bộ"), max_length=255, blank=True)
    department = models.CharField(_("đơn vị"), max_length=255, blank=True)
    stated_at = models.DateTimeField(_("thời điểm theo gói tin"))
    recorded_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("gói tin trạng thái")
        verbose_name_plural = _("gói tin trạng thái")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.status_code} {self.edxml_document_id}"
