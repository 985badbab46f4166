"""Digital signatures of official documents (Decree 30/2020 Art. 13; Circular 01/2019/TT-VPCP), through
the signer plugins of motcua.signing.

- The leader signs the approved draft (``sign_by_leader``): PAdES, SHA-256, time-stamped when a TSA is
  set, visible in the signature block with their name, title and the agency's seal.
- The clerk issues it (``seal_at_issue``): the agency's certificate signs the leader-signed PDF as an
  incremental update, its visible stamp giving the number and notation, the date of issue and the
  agency's seal (the organisation's digital signature, chữ ký số của cơ quan). Both signatures stay
  valid; the last covers the whole document.

The leader's certificate may also be held by a remote-signing service (VNPT SmartCA-style): the
document is prepared here (``prepare_remote``), the hash goes out (``send_remote``, outside any row
lock), the leader confirms on their phone and the poll (``poll_remote``) completes the PDF with the
same visible signature (motcua.documents.services.sign and poll_signature record each step). The
agency's seal at issue is applied with nobody to confirm it: its key must be kept in the system.
Without signing configured nothing is signed: the issued PDF is laid out again with its number and
date (motcua.documents.rendering).
"""

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.documents import rendering
from motcua.documents.models import OfficialDocument
from motcua.dossiers.errors import WrongState
from motcua.signing import conf, pades, selectors, signers, smartca
from motcua.signing.constants import RequestState
from motcua.signing.models import Certificate, SigningRequest

logger = logging.getLogger(__name__)
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LEADER_REASON = "Ký ban hành văn bản"
ISSUE_REASON = "Văn thư cơ quan phát hành văn bản"


_off: ContextVar[bool] = ContextVar("motcua_document_signing_off", default=False)


@contextmanager
def off() -> Iterator[None]:
    """Documents signed in the block are laid out and issued without digital signatures (the demo
    loader runs before the demo's certificates exist). Explicit, so that nothing needs patching."""
    token = _off.set(True)
    try:
        yield
    finally:
        _off.reset(token)


def enabled() -> bool:
    return conf.enabled() and not _off.get()


def _sign(job: signers.Job) -> bytes:
    plugin = signers.plugin_for(job.certificate)
    if plugin.asynchronous:
        raise WrongState(_("Văn bản hành chính chỉ ký được bằng chứng thư số có khóa lưu tại hệ thống."))
    outcome = _attempt(plugin, job)
    if (outcome.state != RequestState.SIGNED or outcome.pdf is None) and job.timestamp_url:
        # The time-stamp authority may be down: a signature without time-stamp (B-B) is still valid.
        job.timestamp_url = None
        outcome = _attempt(plugin, job)
    if outcome.state != RequestState.SIGNED or outcome.pdf is None:
        raise WrongState(_("Ký số không thành công: %(reason)s") % {"reason": outcome.message})
    return outcome.pdf


def _attempt(plugin: signers.SignerPlugin, job: signers.Job) -> signers.Outcome:
    """A plugin's outcome; an unexpected failure (a corrupt key, a PDF the signer cannot read) is
    logged and told to the person as a failed signature, never a server error."""
    try:
        return plugin.sign(job)
    except Exception as exc:  # pyHanko, Pillow and the key store raise many kinds
        logger.exception("signing an official document failed")
        return signers.Outcome(RequestState.FAILED, message=f"{type(exc).__name__}: {exc}"[:300])


def _certificate(*, user: User | None = None, agency=None, now: datetime.datetime) -> Certificate:
    certificate = selectors.usable_certificate(user=user, agency=agency, now=now)
    if certificate is None:
        raise WrongState(selectors.why_no_certificate(user=user, agency=agency, now=now))
    return certificate


def _place(document: OfficialDocument) -> str:
    return rendering.place_of(document)


def is_remote(certificate: Certificate) -> bool:
    """Is the signature of ``certificate`` confirmed elsewhere (a remote-signing service)?"""
    return signers.plugin_for(certificate).asynchronous


def leader_certificate(leader: User, now: datetime.datetime) -> Certificate:
    return _certificate(user=leader, now=now)


def sign_by_leader(document: OfficialDocument, pdf: bytes, leader: User, now: datetime.datetime) -> bytes:
    """The draft ``pdf`` signed by ``leader`` (visible, with the agency's seal), with a key kept here."""
    return _sign(leader_job(document, pdf, leader, now, _certificate(user=leader, now=now)))


def leader_job(
    document: OfficialDocument, pdf: bytes, leader: User, now: datetime.datetime, certificate: Certificate
) -> signers.Job:
    """What the leader's signature of the draft ``pdf`` is: the box, the visible lines, the reason."""
    box = pades.anchor_box(pdf, rendering.SIGNATURE_ANCHOR, rendering.SIGNATURE_BOX_MM)
    if box is None:
        box = pades.last_page_corner(pdf, rendering.SIGNATURE_BOX_MM)
    name = leader.full_name or leader.username
    lines = [f"Ký bởi: {name}"]
    if document.signer_title:
        lines.append(" ".join(document.signer_title.split())[:60])
    lines += [document.agency.name, f"Ngày ký: {now.astimezone(VN_TZ):%d/%m/%Y %H:%M}"]
    job = signers.Job(
        pdf=pdf,
        certificate=certificate,
        attachment=None,
        signer=leader,
        box=box,
        appearance=pades.Appearance(tuple(lines), selectors.seal_image(document.agency)),
        reason=LEADER_REASON,
        location=_place(document),
        timestamp_url=conf.timestamp_url(),
        description=description(document),
    )
    return job


def prepare_remote(job: signers.Job) -> pades.Prepared:
    """The draft prepared for the remote signer (no call to the service)."""
    plugin = signers.plugin_for(job.certificate)
    if not isinstance(plugin, signers.SmartCASigner):
        raise WrongState(_("Chứng thư số này không ký từ xa được."))
    try:
        return plugin.prepare(job)
    except pades.SignatureFailed as exc:
        logger.warning("preparing an official document for a remote signature failed: %s", exc)
        raise WrongState(_("Ký số không thành công: %(reason)s") % {"reason": str(exc)}) from None


def description(document: OfficialDocument) -> str:
    """What the signer reads about the document (on the remote signer's confirmation too)."""
    return f"Ký văn bản: {document.summary}"[:500]


def send_remote(request: SigningRequest, document: OfficialDocument) -> smartca.Started:
    """Send the hash of ``request`` (of ``document``) to the remote-signing service. Raises
    smartca.SmartCAError."""
    plugin = signers.plugin_for(request.certificate)
    assert isinstance(plugin, signers.SmartCASigner)
    return plugin.send(
        request.certificate,
        bytes.fromhex(request.to_be_signed),
        transaction_id=request.transaction_id,
        description=description(document),
        doc_id=f"van-ban-{request.document_id}",
    )


def poll_remote(request: SigningRequest, now: datetime.datetime) -> signers.Outcome:
    """Ask the service about ``request``: the completed PDF once the signer confirmed, or why not."""
    try:
        return signers.plugin_for(request.certificate).poll(request, now=now)
    except Exception as exc:  # a corrupt prepared document, pyHanko: told as a failed signature
        logger.exception("completing the remote signature of an official document failed")
        return signers.Outcome(
            RequestState.FAILED, request=request, message=f"{type(exc).__name__}: {exc}"[:300]
        )


def seal_at_issue(document: OfficialDocument, pdf: bytes, now: datetime.datetime) -> bytes:
    """The leader-signed ``pdf`` signed by the agency, the stamp showing the number and date."""
    certificate = _certificate(agency=document.agency, now=now)
    box = pades.anchor_box(pdf, rendering.ISSUE_ANCHOR, rendering.ISSUE_BOX_MM)
    if box is None:
        box = pades.last_page_corner(pdf, rendering.ISSUE_BOX_MM)
    issued_on = document.issued_on or now.astimezone(VN_TZ).date()
    lines = (
        f"Số: {document.notation}",
        f"Ngày ban hành: {issued_on:%d/%m/%Y}",
        document.agency.name,
    )
    job = signers.Job(
        pdf=pdf,
        certificate=certificate,
        attachment=None,
        box=box,
        appearance=pades.Appearance(lines, selectors.seal_image(document.agency)),
        reason=ISSUE_REASON,
        location=_place(document),
        timestamp_url=conf.timestamp_url(),
        description=f"Phát hành văn bản {document.notation}"[:500],
    )
    return _sign(job)
