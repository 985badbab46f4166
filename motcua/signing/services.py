"""Writes of the signing app: certificates and seals, signing the documents a dossier issues, the
register of issued documents.

Who signs what (docs/decisions/0009-signed-documents.md):

- Receipts and notices (forms 01–05) are signed with the issuing agency's certificate when they are
  rendered (the finisher, motcua.signing.finishers), invisibly, time-stamped when a TSA is set.
- A result is signed once the dossier is ready (status 9) by the leader whose approval made it ready,
  with a visible signature naming them and the agency's seal, time-stamped (B-T). Where no leader
  approved (the officer marked it ready) the agency signs. A generated result rendered after the
  approval is signed as it is rendered; one rendered before, or uploaded, is signed by the task the
  approval queues (motcua.signing.receivers), which replaces the file.
- The approval never waits for the signature: without a usable certificate (none, expired, revoked)
  the result waits, its page says why, and it is signed as soon as a valid certificate is added
  (``import_pkcs12`` retries) or someone asks again (``request_result_signature``). Meanwhile the
  one-stop unit cannot return it (rules.RESULT_SIGNED: "Kết quả chưa được ký số").
- With a remote certificate the leader confirms on their phone: the result waits (AWAITING_SIGNER)
  until ``poll_request`` finds the signature value (the task worker polls; the staff page can ask).

Every version of a document given out is registered (``register``): its SHA-256, dossier, kind,
signer and signing time. A completed signature of a result publishes the dossier event
``result_signed`` (motcua.dossiers.events.RESULT_SIGNED), on which the applicant is told the result
can be taken (motcua.notifications).
"""

import datetime
import hashlib
import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.core import audit, clock
from motcua.dossiers import documents, events
from motcua.dossiers.constants import SignatureState, Status
from motcua.dossiers.models import Attachment, Dossier
from motcua.dossiers.services import render_pending
from motcua.signing import conf, keystore, pades, selectors, signers, smartca
from motcua.signing.constants import DocumentKind, Provider, RequestState
from motcua.signing.models import Certificate, IssuedDocument, Seal, SigningRequest

logger = logging.getLogger(__name__)

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
READY_STATUSES = (Status.READY, Status.RETURNED)
NOTICE_REASON = "Văn bản do Bộ phận Một cửa phát hành"
RESULT_REASON = "Phê duyệt kết quả giải quyết thủ tục hành chính"
MAX_SEAL_BYTES = 512 * 1024


class CertificateRefused(ValueError):
    """A certificate that cannot be added: ``message`` says why, ``field`` which input."""

    def __init__(self, message: str, field: str = "pkcs12"):
        super().__init__(message)
        self.message = message
        self.field = field


# -- certificates and seals ------------------------------------------------------------------------------

_PKCS12_MESSAGES = {
    "wrong_password_or_file": lambda: _("Sai mật khẩu, hoặc tệp không phải PKCS#12 (.p12, .pfx)."),
    "no_key": lambda: _("Tệp PKCS#12 không chứa khóa bí mật và chứng thư số."),
    "unsupported_key": lambda: _("Loại khóa này không được hỗ trợ (chỉ RSA hoặc ECDSA)."),
    "key_mismatch": lambda: _("Khóa bí mật không khớp với chứng thư số."),
}


def _check_validity(
    valid_from: datetime.datetime, valid_to: datetime.datetime, now: datetime.datetime
) -> None:
    if valid_to <= now:
        raise CertificateRefused(
            _("Chứng thư số đã hết hạn ngày %(date)s.")
            % {"date": valid_to.astimezone(VN_TZ).strftime("%d/%m/%Y")}
        )
    if valid_from > now:
        raise CertificateRefused(
            _("Chứng thư số chưa có hiệu lực (từ ngày %(date)s).")
            % {"date": valid_from.astimezone(VN_TZ).strftime("%d/%m/%Y")}
        )


def _check_not_known(fingerprint: str) -> None:
    known = Certificate.objects.filter(fingerprint=fingerprint).first()
    if known is None:
        return
    if known.revoked_at is not None:
        raise CertificateRefused(_("Chứng thư số này đã bị thu hồi."))
    raise CertificateRefused(_("Chứng thư số này đã có trong hệ thống."))


def _owner_kwargs(user: User | None, agency: Agency | None) -> dict:
    if (user is None) == (agency is None):
        raise CertificateRefused(_("Chọn một người ký hoặc một cơ quan."), field="user")
    return {"user": user} if user is not None else {"agency": agency}


def import_pkcs12(
    data: bytes,
    password: str,
    *,
    user: User | None = None,
    agency: Agency | None = None,
    actor: User | None = None,
    now: datetime.datetime | None = None,
) -> Certificate:
    """Add a certificate from a PKCS#12 file (the key is kept encrypted). Refuses an unreadable file, a
    wrong password, an expired, not yet valid or revoked certificate. Results waiting for this
    person's or agency's certificate are signed after the commit."""
    now = now or clock.now()
    owner = _owner_kwargs(user, agency)
    try:
        bundle = keystore.read_pkcs12(data, password)
    except keystore.KeystoreError as exc:
        code = str(exc.args[0]) if exc.args else "wrong_password_or_file"
        raise CertificateRefused(
            _PKCS12_MESSAGES.get(code, _PKCS12_MESSAGES["wrong_password_or_file"])(),
            field="password" if code == "wrong_password_or_file" else "pkcs12",
        ) from None
    valid_from, valid_to = keystore.validity(bundle.certificate)
    _check_validity(valid_from, valid_to, now)
    fingerprint = hashlib.sha256(bundle.certificate_der).hexdigest()
    _check_not_known(fingerprint)
    import base64

    with transaction.atomic():
        certificate = Certificate.objects.create(
            **owner,
            provider=Provider.LOCAL,
            subject=keystore.subject_name(bundle.certificate),
            issuer=keystore.issuer_name(bundle.certificate),
            serial_number=format(bundle.certificate.serial_number, "x"),
            fingerprint=fingerprint,
            valid_from=valid_from,
            valid_to=valid_to,
            certificate_der=bundle.certificate_der,
            chain=[base64.b64encode(der).decode() for der in bundle.chain_der],
            encrypted_key=keystore.encrypt_key(bundle.key_der),
            created_at=now,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        audit.record(
            "signing.certificate_added",
            actor=actor,
            obj=certificate,
            summary=str(certificate),
            owner=certificate.owner_name,
        )
        transaction.on_commit(lambda: sign_waiting_results(user=user, agency=agency))
    return certificate


def add_remote_certificate(
    *, user: User, remote_user_id: str, actor: User | None = None, now: datetime.datetime | None = None
) -> Certificate:
    """Add the certificate a remote-signing service holds for ``user`` (its ``user_id`` there): asked
    from the service, checked like an uploaded one."""
    import base64

    now = now or clock.now()
    remote_user_id = (remote_user_id or "").strip()
    if not remote_user_id:
        raise CertificateRefused(_("Nhập mã người dùng tại dịch vụ ký số từ xa."), field="remote_user_id")
    try:
        found = signers.client().get_certificates(remote_user_id, transaction_id=f"cert-{now:%Y%m%d%H%M%S}")
    except smartca.SmartCAError as exc:
        raise CertificateRefused(
            _("Dịch vụ ký số từ xa trả lời: %(message)s") % {"message": str(exc)}, field="remote_user_id"
        ) from None
    if not found:
        raise CertificateRefused(
            _("Dịch vụ ký số từ xa không có chứng thư số cho người dùng này."), field="remote_user_id"
        )
    remote = found[0]
    parsed = pades.load_certificate(remote.certificate)
    valid_from = parsed["tbs_certificate"]["validity"]["not_before"].native
    valid_to = parsed["tbs_certificate"]["validity"]["not_after"].native
    _check_validity(valid_from, valid_to, now)
    fingerprint = hashlib.sha256(remote.certificate).hexdigest()
    _check_not_known(fingerprint)
    with transaction.atomic():
        certificate = Certificate.objects.create(
            user=user,
            provider=Provider.SMARTCA,
            subject=pades.common_name(parsed),
            issuer=str(parsed.issuer.native.get("common_name", "")),
            serial_number=format(parsed.serial_number, "x"),
            fingerprint=fingerprint,
            valid_from=valid_from,
            valid_to=valid_to,
            certificate_der=remote.certificate,
            chain=[base64.b64encode(der).decode() for der in remote.chain],
            remote_user_id=remote_user_id,
            remote_credential_id=remote.cert_id,
            created_at=now,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        audit.record(
            "signing.certificate_added", actor=actor, obj=certificate, summary=str(certificate), remote=True
        )
        transaction.on_commit(lambda: sign_waiting_results(user=user))
    return certificate


def revoke(
    certificate: Certificate, *, actor: User | None, reason: str = "", now: datetime.datetime | None = None
) -> Certificate:
    """Revoke a certificate (lost key, a leader who left): it never signs again."""
    now = now or clock.now()
    with transaction.atomic():
        row = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if row.revoked_at is None:
            row.revoked_at = now
            row.revocation_reason = (reason or "").strip()[:300]
            row.save(update_fields=["revoked_at", "revocation_reason"])
            audit.record(
                "signing.certificate_revoked",
                actor=actor,
                obj=row,
                summary=str(row),
                reason=row.revocation_reason,
            )
    certificate.refresh_from_db()
    return certificate


def check_seal(png: bytes) -> None:
    """A seal image must be a PNG of at most 512 KB."""
    import io

    from PIL import Image, UnidentifiedImageError

    refused = CertificateRefused(_("Ảnh con dấu phải là tệp PNG không quá 512 KB."), field="seal")
    if not png or len(png) > MAX_SEAL_BYTES:
        raise refused
    try:
        image = Image.open(io.BytesIO(png))
        image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise refused from None
    if image.format != "PNG":
        raise refused


def set_seal(agency: Agency, png: bytes, *, actor: User | None = None) -> Seal:
    """The agency's seal image, drawn beside the signatures of its results."""
    check_seal(png)
    seal, _created = Seal.objects.update_or_create(
        agency=agency, defaults={"image": png, "uploaded_at": clock.now()}
    )
    audit.record("signing.seal_set", actor=actor, obj=agency, summary=agency.name)
    return seal


# -- the register -----------------------------------------------------------------------------------------


def register(
    attachment: Attachment, data: bytes, *, signer: str = "", signed_at: datetime.datetime | None = None
) -> IssuedDocument | None:
    """Register ``data`` as a version of ``attachment`` given out (once per SHA-256)."""
    kind = documents.issued_kind(attachment)
    if kind is None:
        return None
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        document, _created = IssuedDocument.objects.get_or_create(
            sha256=sha256,
            defaults={
                "dossier_id": attachment.dossier_id,
                "attachment": attachment,
                "kind": DocumentKind(kind),
                "signer": signer[:255],
                "signed_at": signed_at,
                "size": len(data),
                "registered_at": clock.now(),
            },
        )
    except IntegrityError:  # registered meanwhile by another process: the same bytes
        document = IssuedDocument.objects.get(sha256=sha256)
    return document


# -- signing ----------------------------------------------------------------------------------------------


def _mark(attachment: Attachment, state: str, note: str = "") -> None:
    attachment.signature_state = state
    attachment.signature_note = (note or "")[:300]
    if state != SignatureState.SIGNED:
        attachment.signed_by = ""
        attachment.signed_at = None


def _signed(attachment: Attachment, signer: str, when: datetime.datetime) -> None:
    attachment.signature_state = SignatureState.SIGNED
    attachment.signature_note = ""
    attachment.signed_by = signer[:255]
    attachment.signed_at = when


def _save_marks(attachment: Attachment) -> None:
    attachment.save(update_fields=list(documents.SIGNATURE_FIELDS))


def _vn(when: datetime.datetime) -> str:
    return when.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def _place(agency: Agency) -> str:
    unit = agency.unit if agency.unit_id else None
    return unit.name if unit is not None else ""


def sign_notice(attachment: Attachment, pdf: bytes) -> bytes:
    """Sign a notice (forms 01–05) with its issuing agency's certificate, invisibly, as it is rendered;
    time-stamped when a TSA is set (B-T), without the time-stamp if the TSA does not answer (B-B,
    noted). Without a usable certificate the notice is issued unsigned (noted). Registered either way."""
    now = clock.now()
    agency = selectors.notice_issuer(attachment)
    certificate = selectors.usable_certificate(agency=agency, now=now)
    if certificate is None:
        _mark(attachment, SignatureState.NO_CERTIFICATE, selectors.why_no_certificate(agency=agency, now=now))
        register(attachment, pdf)
        return pdf
    plugin = signers.plugin_for(certificate)
    if plugin.asynchronous:
        _mark(
            attachment, SignatureState.FAILED, _("Phiếu, thông báo chỉ được ký bằng khóa lưu tại hệ thống.")
        )
        register(attachment, pdf)
        return pdf
    job = signers.Job(
        pdf=pdf,
        certificate=certificate,
        attachment=attachment,
        reason=NOTICE_REASON,
        location=_place(agency),
        timestamp_url=conf.timestamp_url(),
    )
    outcome = plugin.sign(job)
    note = ""
    if outcome.state != RequestState.SIGNED and job.timestamp_url:
        logger.warning(
            "notice %s: signing with a time-stamp failed (%s); signing without",
            attachment.pk,
            outcome.message,
        )
        job.timestamp_url = None
        outcome = plugin.sign(job)
        note = _("Ký không kèm dấu thời gian (máy chủ dấu thời gian không trả lời).")
    if outcome.state != RequestState.SIGNED or outcome.pdf is None:
        _mark(attachment, SignatureState.FAILED, outcome.message)
        register(attachment, pdf)
        return pdf
    _signed(attachment, certificate.subject, now)
    attachment.signature_note = note
    register(attachment, outcome.pdf, signer=certificate.subject, signed_at=now)
    return outcome.pdf


def _result_job(attachment: Attachment, pdf: bytes, now: datetime.datetime):
    """The certificate and job that sign ``attachment`` (a result), or (None, why)."""
    dossier = attachment.dossier
    who = selectors.result_signer(dossier)
    if who.leader is not None:
        certificate = selectors.usable_certificate(user=who.leader, now=now)
        name = who.leader.full_name or who.leader.username
        missing = selectors.why_no_certificate(user=who.leader, now=now)
    else:
        certificate = selectors.usable_certificate(agency=who.agency, now=now)
        name = who.agency.name
        missing = selectors.why_no_certificate(agency=who.agency, now=now)
    if certificate is None:
        return None, missing + " " + _("Kết quả sẽ được ký khi có chứng thư số hợp lệ.")
    box = pades.anchor_box(pdf, documents.SIGNATURE_ANCHOR, documents.SIGNATURE_BOX_MM)
    if box is None:
        box = pades.last_page_corner(pdf, documents.SIGNATURE_BOX_MM)
    lines = [f"Ký bởi: {name}"]
    if who.leader is not None:
        lines.append(who.agency.name)
    lines.append(f"Ngày ký: {_vn(now)}")
    job = signers.Job(
        pdf=pdf,
        certificate=certificate,
        attachment=attachment,
        signer=who.leader,
        box=box,
        appearance=pades.Appearance(tuple(lines), selectors.seal_image(who.agency)),
        reason=RESULT_REASON,
        location=_place(who.agency),
        timestamp_url=conf.timestamp_url(),
        description=f"Ký kết quả hồ sơ {dossier.code} – {dossier.procedure_version.name}"[:500],
    )
    return job, name


def _not_a_pdf(attachment: Attachment) -> bool:
    return attachment.content_type != "application/pdf"


def finish_result_render(attachment: Attachment, pdf: bytes) -> bytes:
    """A generated result being rendered: signed now if its dossier is already ready and the signer's
    key is ours; otherwise it waits (the approval's task signs it)."""
    now = clock.now()
    if attachment.dossier.status not in READY_STATUSES:
        _mark(attachment, SignatureState.PENDING, _("Chờ lãnh đạo phê duyệt để ký số."))
        return pdf
    job, name = _result_job(attachment, pdf, now)
    if job is None:
        _mark(attachment, SignatureState.NO_CERTIFICATE, name)
        return pdf
    plugin = signers.plugin_for(job.certificate)
    if plugin.asynchronous:
        _mark(attachment, SignatureState.PENDING, _("Chờ gửi yêu cầu ký số từ xa."))
        return pdf
    outcome = plugin.sign(job)
    if outcome.state != RequestState.SIGNED or outcome.pdf is None:
        _mark(attachment, SignatureState.FAILED, outcome.message)
        return pdf
    _signed(attachment, name, now)
    register(attachment, outcome.pdf, signer=name, signed_at=now)
    audit.record(
        "signing.result_signed", obj=attachment.dossier, summary=str(attachment.dossier), signer=name
    )
    _announce_signed(attachment)
    return outcome.pdf


def _announce_signed(attachment: Attachment) -> None:
    """Publish the dossier event that a result's signature completed, in the transaction that stores
    it: notifications tell the applicant the result can be taken once every result is signed."""
    events.publish(
        attachment.dossier_id,
        events.RESULT_SIGNED,
        attachment.dossier.status,
        {"attachment": attachment.pk},
    )


def _store_signed(row: Attachment, signed: bytes, *, signer: str, now: datetime.datetime) -> None:
    """Replace the locked ``row``'s file with its signed version and register it."""
    old = row.file.name
    storage = row.file.storage
    row.file.save(row.original_name, ContentFile(signed), save=False)
    row.size = len(signed)
    row.sha256 = hashlib.sha256(signed).hexdigest()
    _signed(row, signer, now)
    row.save(update_fields=["file", "size", "sha256", *documents.SIGNATURE_FIELDS])
    register(row, signed, signer=signer, signed_at=now)
    audit.record("signing.result_signed", obj=row.dossier, summary=str(row.dossier), signer=signer)
    _announce_signed(row)
    if old and old != row.file.name:
        transaction.on_commit(lambda: storage.delete(old))


def sign_result(attachment: Attachment, *, now: datetime.datetime | None = None) -> str:
    """Sign a result of a ready dossier (rendered first if pending); returns its signature state.
    Signing not configured: the result is registered as it is."""
    now = now or clock.now()
    if attachment.pending:
        render_pending(attachment)
    with translation.override("vi"), transaction.atomic():
        row = Attachment.objects.select_for_update().select_related("dossier").get(pk=attachment.pk)
        if row.superseded or row.dossier.status not in READY_STATUSES:
            return row.signature_state
        data = row.file.open("rb").read()
        row.file.close()
        if row.signature_state == SignatureState.SIGNED:
            register(row, data, signer=row.signed_by, signed_at=row.signed_at)
            return row.signature_state
        if not conf.enabled():
            register(row, data)
            return row.signature_state
        if selectors.waiting_request(row) is not None:
            return row.signature_state
        if _not_a_pdf(row):
            _mark(row, SignatureState.FAILED, _("Chỉ ký số được kết quả dạng PDF; hãy đính kèm tệp PDF."))
            _save_marks(row)
            return row.signature_state
        job, name = _result_job(row, data, now)
        if job is None:
            _mark(row, SignatureState.NO_CERTIFICATE, name)
            _save_marks(row)
            return row.signature_state
        outcome = signers.plugin_for(job.certificate).sign(job)
        if outcome.state == RequestState.SIGNED and outcome.pdf is not None:
            _store_signed(row, outcome.pdf, signer=name, now=now)
        elif outcome.state == RequestState.WAITING and outcome.request is not None:
            _mark(
                row,
                SignatureState.AWAITING_SIGNER,
                _("Đang chờ %(name)s xác nhận ký trên ứng dụng ký số từ xa (mã giao dịch %(code)s).")
                % {
                    "name": name,
                    "code": outcome.request.provider_reference or outcome.request.transaction_id,
                },
            )
            _save_marks(row)
            schedule_poll(outcome.request)
        else:
            _mark(row, SignatureState.FAILED, outcome.message)
            _save_marks(row)
        attachment.refresh_from_db()
        return row.signature_state


def sign_results_of(dossier: Dossier, *, now: datetime.datetime | None = None) -> list[str]:
    """Sign every current result of a ready dossier (the approval's task)."""
    return [sign_result(a, now=now) for a in selectors.current_results(dossier)]


def sign_waiting_results(*, user: User | None = None, agency: Agency | None = None) -> int:
    """After a certificate was added: sign the results that waited for one (of ready dossiers)."""
    if not conf.enabled():
        return 0
    waiting = Attachment.objects.filter(
        signature_state__in=[SignatureState.NO_CERTIFICATE, SignatureState.FAILED],
        superseded=False,
        dossier__status__in=READY_STATUSES,
        kind="result",
    ).select_related("dossier")
    count = 0
    for attachment in waiting:
        who = selectors.result_signer(attachment.dossier)
        if (user is not None and who.leader == user) or (
            agency is not None and who.leader is None and who.agency == agency
        ):
            sign_result(attachment)
            count += 1
    return count


def schedule_poll(request: SigningRequest, delay: int | None = None) -> bool:
    """Ask the task worker to poll ``request`` after ``delay`` seconds; False where the task backend
    cannot defer (the tests' immediate backend: they poll themselves)."""
    from motcua.signing.tasks import poll_signing_request

    if not poll_signing_request.get_backend().supports_defer:
        return False
    when = clock.now() + datetime.timedelta(
        seconds=delay if delay is not None else conf.remote_poll_seconds()
    )
    transaction.on_commit(lambda: poll_signing_request.using(run_after=when).enqueue(request.pk))
    return True


_ENDED: dict[str, Callable[[], str]] = {
    RequestState.REFUSED: lambda: _(
        "Người ký đã từ chối ký trên ứng dụng ký số từ xa. Có thể gửi lại yêu cầu ký."
    ),
    RequestState.EXPIRED: lambda: _(
        "Yêu cầu ký số từ xa đã hết hạn mà người ký chưa xác nhận. Có thể gửi lại yêu cầu ký."
    ),
}


def poll_request(request: SigningRequest, *, now: datetime.datetime | None = None) -> str:
    """Ask the remote service about a waiting request and act on the answer: the signed result
    replaces the file; a refusal or an expiry is noted on the result. Returns the request's state."""
    now = now or clock.now()
    with translation.override("vi"), transaction.atomic():
        row = SigningRequest.objects.select_for_update().select_related("certificate").get(pk=request.pk)
        # An official document's request is motcua.documents' (services.poll_signature).
        if row.state != RequestState.WAITING or row.attachment_id is None:
            return row.state
        outcome = signers.plugin_for(row.certificate).poll(row, now=now)
        row.polled_at = now
        if outcome.state == RequestState.WAITING:
            row.save(update_fields=["polled_at"])
            request.refresh_from_db()
            return row.state
        row.state = outcome.state
        row.finished_at = now
        row.note = (outcome.message or "")[:500]
        row.save(update_fields=["state", "finished_at", "polled_at", "note"])
        attachment = (
            Attachment.objects.select_for_update().select_related("dossier").get(pk=row.attachment_id)
        )
        if outcome.state == RequestState.SIGNED and outcome.pdf is not None:
            if not attachment.superseded:
                signer = (
                    (row.signer.full_name or row.signer.username) if row.signer else row.certificate.subject
                )
                _store_signed(attachment, outcome.pdf, signer=signer, now=now)
        else:
            message = _ENDED[outcome.state]() if outcome.state in _ENDED else outcome.message
            _mark(attachment, SignatureState.FAILED, message)
            _save_marks(attachment)
    request.refresh_from_db()
    return request.state


def poll_waiting(dossier: Dossier | None = None, *, now: datetime.datetime | None = None) -> int:
    """Poll every waiting remote request (of ``dossier``); how many ended."""
    ended = 0
    for request in selectors.waiting_requests(dossier):
        if poll_request(request, now=now) != RequestState.WAITING:
            ended += 1
    return ended


def request_result_signature(dossier: Dossier, *, actor: User | None) -> list[str]:
    """A member of staff asks for the result's signature again: a waiting remote request is polled,
    otherwise the result is signed (again) as on approval."""
    audit.record("signing.signature_requested", actor=actor, obj=dossier, summary=str(dossier))
    if selectors.waiting_requests(dossier).exists():
        poll_waiting(dossier)
    return sign_results_of(dossier)
