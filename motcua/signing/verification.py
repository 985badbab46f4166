"""What the public verification (the page from a document's QR code, an uploaded PDF, POST /api/verify)
says about a file: is it signed, unchanged since, by a certificate chaining to our trusted roots and
not revoked here, when, by whom, and is it a document this system issued (its SHA-256 registered)."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from motcua.dossiers.models import Attachment
from motcua.dossiers.services import render_pending
from motcua.signing import conf, pades, selectors
from motcua.signing.models import Certificate, IssuedDocument

PDF_MAGIC = b"%PDF-"


@dataclass
class Verification:
    sha256: str
    readable: bool = True
    signed: bool = False
    intact: bool = False
    trusted: bool = False
    revoked: bool = False
    signer: str | None = None
    signed_at: datetime.datetime | None = None
    timestamped: bool = False
    registered: bool = False
    document: IssuedDocument | None = None
    signatures: list[pades.SignatureReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """Signed, unchanged, trusted: what the page shows as "valid"."""
        return self.signed and self.intact and self.trusted

    def as_json(self) -> dict:
        document = self.document
        return {
            "sha256": self.sha256,
            "readable": self.readable,
            "signed": self.signed,
            "intact": self.intact,
            "trusted": self.trusted,
            "revoked": self.revoked,
            "valid": self.valid,
            "signer": self.signer,
            "signed_at": self.signed_at,
            "timestamped": self.timestamped,
            "registered": self.registered,
            "document": {
                "kind": document.kind,
                "dossier_code": document.dossier.code if document.dossier is not None else None,
                "reference": document.reference,
                "registered_at": document.registered_at,
            }
            if document is not None
            else None,
            "signatures": [
                {
                    "field_name": s.field_name,
                    "signer": s.signer,
                    "signed_at": s.signed_at,
                    "intact": s.intact,
                    "trusted": s.trusted,
                    "timestamped": s.timestamped,
                    "covers_whole_document": s.covers_whole_document,
                }
                for s in self.signatures
            ],
            "problems": self.problems,
        }


def _revoked(report: pades.SignatureReport) -> bool:
    """The signer's certificate is one we revoked before it signed."""
    if not report.certificate_sha256:
        return False
    certificate = Certificate.objects.filter(
        fingerprint=report.certificate_sha256, revoked_at__isnull=False
    ).first()
    if certificate is None or certificate.revoked_at is None:
        return False
    return report.signed_at is None or certificate.revoked_at <= report.signed_at


def verify_bytes(data: bytes) -> Verification:
    sha256 = hashlib.sha256(data).hexdigest()
    result = Verification(sha256=sha256)
    document = selectors.registered(sha256)
    result.registered = document is not None
    result.document = document
    if not data.startswith(PDF_MAGIC):
        result.readable = False
        result.problems.append(_("Tệp không phải là tệp PDF."))
        return result
    try:
        reports = pades.verify(data, conf.trust_roots())
    except pades.SignatureFailed:
        result.readable = False
        result.problems.append(_("Không đọc được tệp PDF."))
        return result
    result.signatures = reports
    if not reports:
        result.problems.append(_("Tệp không có chữ ký số."))
        return result
    last = reports[-1]
    result.signed = True
    result.intact = all(r.intact for r in reports) and last.covers_whole_document
    result.revoked = any(_revoked(r) for r in reports)
    result.trusted = all(r.trusted for r in reports) and not result.revoked
    result.signer = last.signer
    result.signed_at = last.signed_at
    result.timestamped = last.timestamped
    if not result.intact:
        result.problems.append(_("Tệp đã bị thay đổi sau khi ký, hoặc chữ ký bị hỏng."))
    if result.revoked:
        result.problems.append(_("Chứng thư số của người ký đã bị thu hồi."))
    elif not result.trusted:
        result.problems.append(
            _("Chứng thư số của người ký không thuộc tổ chức cung cấp dịch vụ chứng thực được tin cậy.")
        )
    return result


def verify_document(attachment: Attachment) -> Verification:
    """The verification of an issued document as we keep it (rendered first if still pending)."""
    if attachment.pending:
        render_pending(attachment)
    with attachment.file.open("rb") as handle:
        data = handle.read()
    return verify_bytes(data)


def same_document(attachment: Attachment, data: bytes) -> bool:
    """``data`` is a version of ``attachment`` that we gave out."""
    sha256 = hashlib.sha256(data).hexdigest()
    return (
        sha256 == attachment.sha256
        or IssuedDocument.objects.filter(sha256=sha256, attachment=attachment).exists()
    )
