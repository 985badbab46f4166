import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core import clock
from motcua.signing.constants import DocumentKind, Provider, RequestState


class Certificate(models.Model):
    """A signing certificate (chứng thư số) of a person (a leader signs results) or of an agency (it
    signs receipts and notices, forms 01–05).

    With the ``local`` provider the private key is kept here, encrypted (motcua.signing.keystore); with
    a remote provider the key stays with the provider, who asks the signer to confirm each signature.
    An expired or revoked certificate never signs (motcua.signing.selectors.refusal).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="signing_certificates",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="signing_certificates",
    )
    provider = models.CharField(_("nơi giữ khóa"), max_length=20, choices=Provider.choices)
    subject = models.CharField(_("chủ thể"), max_length=500)
    issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    serial_number = models.CharField(_("số hiệu"), max_length=80)
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    valid_from = models.DateTimeField(_("hiệu lực từ"))
    valid_to = models.DateTimeField(_("hiệu lực đến"))
    certificate_der = models.BinaryField(editable=False)
    # The issuing chain, DER, each base64 (the signature embeds it for the verifier).
    chain = models.JSONField(default=list, blank=True, editable=False)
    encrypted_key = models.BinaryField(null=True, blank=True, editable=False)
    remote_user_id = models.CharField(_("mã người dùng ký từ xa"), max_length=100, blank=True)
    remote_credential_id = models.CharField(_("mã chứng thư tại nhà cung cấp"), max_length=100, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revocation_reason = models.CharField(_("lý do thu hồi"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("chứng thư số")
        verbose_name_plural = _("chứng thư số")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(agency__isnull=True))
                | (Q(user__isnull=True) & Q(agency__isnull=False)),
                name="certificate_of_a_person_or_an_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.serial_number[:12]})"

    @property
    def owner_name(self) -> str:
        if self.user is not None:
            return self.user.full_name or self.user.username
        return self.agency.name if self.agency is not None else ""


class Seal(models.Model):
    """The image of an agency's seal (con dấu), drawn beside the signature on the results it issues."""

    agency = models.OneToOneField(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="seal"
    )
    image = models.BinaryField(_("ảnh con dấu (PNG)"), editable=False)
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("con dấu")
        verbose_name_plural = _("con dấu")

    def __str__(self) -> str:
        return str(self.agency)


class SigningRequest(models.Model):
    """A remote signature in progress: the document prepared with its placeholder waits here while the
    signer confirms on their phone; polling the provider completes it (or finds it refused, expired).

    What is signed is either a dossier's document (``attachment``: a result, motcua.signing.services)
    or an official document (``document``: the leader's signature, motcua.documents.services), never
    both."""

    attachment = models.ForeignKey(
        "dossiers.Attachment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="signing_requests",
    )
    # A string reference: motcua.documents sits above this app and drives these requests itself.
    document = models.ForeignKey(
        "documents.OfficialDocument",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="signing_requests",
    )
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="requests")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transaction_id = models.CharField(_("mã giao dịch"), max_length=64, unique=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=RequestState.choices, default=RequestState.WAITING
    )
    prepared_pdf = models.BinaryField(editable=False)
    prepared = models.JSONField(default=dict, editable=False)
    to_be_signed = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    finished_at = models.DateTimeField(null=True, blank=True)
    polled_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("yêu cầu ký số từ xa")
        verbose_name_plural = _("yêu cầu ký số từ xa")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["attachment"], condition=Q(state="waiting"), name="one_waiting_request_per_document"
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(state="waiting"),
                name="one_waiting_request_per_official_document",
            ),
            models.CheckConstraint(
                condition=(Q(attachment__isnull=False) & Q(document__isnull=True))
                | (Q(attachment__isnull=True) & Q(document__isnull=False)),
                name="signing_request_of_an_attachment_or_a_document",
            ),
        ]

    def __str__(self) -> str:
        return self.transaction_id


class IssuedDocument(models.Model):
    """The register of issued documents: the SHA-256 of every version of a document the system gave
    out (a notice, a signed result), so that a file presented later can be recognised as ours."""

    sha256 = models.CharField(max_length=64, unique=True)
    # The dossier whose notice or result this is; None for an official document (motcua.documents),
    # which ``reference`` names instead (its number and notation).
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.CASCADE, related_name="issued_documents"
    )
    reference = models.CharField(_("số, ký hiệu văn bản"), max_length=120, blank=True)
    attachment = models.ForeignKey(
        "dossiers.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("loại"), max_length=30, choices=DocumentKind.choices)
    signer = models.CharField(_("người ký"), max_length=255, blank=True)
    signed_at = models.DateTimeField(_("thời điểm ký"), null=True, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    registered_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("văn bản đã phát hành")
        verbose_name_plural = _("văn bản đã phát hành")
        ordering = ["-registered_at", "-id"]
        indexes = [models.Index(fields=["dossier", "registered_at"], name="issued_document_dossier_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.sha256[:12]}"

    @staticmethod
    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()
