"""Reads of the signing app: which certificate may sign, who signs a result, the register."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.core import clock
from motcua.dossiers import documents
from motcua.dossiers.constants import ActionType, AttachmentKind, NoticeForm
from motcua.dossiers.models import Attachment, Dossier
from motcua.signing.constants import Provider, RequestState
from motcua.signing.models import Certificate, IssuedDocument, Seal, SigningRequest


def refusal(certificate: Certificate, now: datetime.datetime | None = None) -> str | None:
    """Why ``certificate`` may not sign at ``now`` (a sentence for the page), or None when it may."""
    now = now or clock.now()
    if certificate.revoked_at is not None and certificate.revoked_at <= now:
        return _("Chứng thư số %(serial)s đã bị thu hồi.") % {"serial": certificate.serial_number[:16]}
    if now < certificate.valid_from:
        return _("Chứng thư số %(serial)s chưa có hiệu lực.") % {"serial": certificate.serial_number[:16]}
    if now >= certificate.valid_to:
        return _("Chứng thư số %(serial)s đã hết hạn ngày %(date)s.") % {
            "serial": certificate.serial_number[:16],
            "date": timezone.localtime(certificate.valid_to).strftime("%d/%m/%Y"),
        }
    if certificate.provider == Provider.LOCAL and not certificate.encrypted_key:
        return _("Chứng thư số %(serial)s không có khóa bí mật.") % {"serial": certificate.serial_number[:16]}
    return None


def _owned(*, user: User | None = None, agency: Agency | None = None):
    if (user is None) == (agency is None):
        raise ValueError("Give a user or an agency.")
    return (
        Certificate.objects.filter(user=user)
        if user is not None
        else Certificate.objects.filter(agency=agency)
    )


def usable_certificate(
    *, user: User | None = None, agency: Agency | None = None, now: datetime.datetime | None = None
) -> Certificate | None:
    """The certificate that signs for ``user`` or ``agency`` now: the most recently added one that is
    valid now and not revoked."""
    now = now or clock.now()
    return (
        _owned(user=user, agency=agency)
        .filter(valid_from__lte=now, valid_to__gt=now)
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=now))
        .exclude(provider=Provider.LOCAL, encrypted_key__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )


def why_no_certificate(*, user: User | None = None, agency: Agency | None = None, now=None) -> str:
    """What to tell the staff when ``user`` or ``agency`` has no usable certificate."""
    latest = _owned(user=user, agency=agency).order_by("-created_at", "-id").first()
    who = (user.full_name or user.username) if user is not None else agency.name  # type: ignore[union-attr]
    if latest is None:
        return _("%(who)s chưa có chứng thư số.") % {"who": who}
    return f"{who}: {refusal(latest, now) or ''}".strip()


@dataclass(frozen=True)
class ResultSigner:
    """Who signs a dossier's result: the leader whose approval made it ready (None where no leader
    approved: the agency signs then), for the agency the approval step belongs to."""

    leader: User | None
    agency: Agency


def result_signer(dossier: Dossier) -> ResultSigner:
    last = (
        dossier.actions.filter(type__in=[ActionType.APPROVE, ActionType.SEND_BACK])
        .select_related("actor", "step__agency")
        .order_by("-at", "-id")
        .first()
    )
    agency = dossier.deciding_agency or dossier.receiving_agency
    if last is None or last.type != ActionType.APPROVE or last.actor is None:
        return ResultSigner(None, agency)
    if last.step is not None:
        agency = last.step.agency
    return ResultSigner(last.actor, agency)


def notice_issuer(attachment: Attachment) -> Agency:
    """The agency that issues a notice: the deciding one for an apology (form 04), the receiving one
    for the others (motcua.dossiers.notices prints the same)."""
    dossier = attachment.dossier
    if attachment.notice_form == NoticeForm.APOLOGY:
        return dossier.deciding_agency or dossier.receiving_agency
    return dossier.receiving_agency


def seal_image(agency: Agency) -> bytes | None:
    seal = Seal.objects.filter(agency=agency).only("image").first()
    return bytes(seal.image) if seal is not None else None


def current_results(dossier: Dossier) -> list[Attachment]:
    return list(
        dossier.attachments.filter(kind=AttachmentKind.RESULT, superseded=False).order_by("uploaded_at", "id")
    )


def waiting_request(attachment: Attachment) -> SigningRequest | None:
    return (
        SigningRequest.objects.filter(attachment=attachment, state=RequestState.WAITING)
        .select_related("certificate")
        .first()
    )


def waiting_requests(dossier: Dossier | None = None):
    """The waiting requests of dossiers' documents (an official document's are motcua.documents')."""
    requests = SigningRequest.objects.filter(
        state=RequestState.WAITING, attachment__isnull=False
    ).select_related("certificate", "attachment")
    if dossier is not None:
        requests = requests.filter(attachment__dossier=dossier)
    return requests.order_by("created_at", "id")


def registered(sha256: str) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(sha256=sha256).select_related("dossier", "attachment").first()


def document_by_code(code: str) -> Attachment | None:
    """The issued document whose verification code is ``code`` (printed on it as a QR code)."""
    code = (code or "").strip().upper()
    if not code or len(code) > 20:
        return None
    return (
        Attachment.objects.filter(verification_code=code, kind__in=documents.ISSUED_ATTACHMENT_KINDS)
        .select_related("dossier__receiving_agency", "dossier__procedure_version")
        .first()
    )


def issued_attachments(dossier: Dossier) -> list[Attachment]:
    """The documents the dossier issued and still stand (not superseded), in the order issued."""
    return list(
        dossier.attachments.filter(kind__in=documents.ISSUED_ATTACHMENT_KINDS, superseded=False).order_by(
            "uploaded_at", "id"
        )
    )
