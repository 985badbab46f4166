"""Digital signatures of official documents (Decree 30/2020 Art. 13; Circular 01/2019/TT-VPCP), through
the signer plugins of motcua.signing.

- The leader signs the approved draft (``sign_by_leader``): PAdES, SHA-256, time-stamped when a TSA is
  set, visible in the signature block with their name, title and the agency's seal.
- The clerk issues it (``seal_at_issue``): the agency's certificate signs the leader-signed PDF as an
  incremental update, its visible stamp giving the number and notation, the date of issue and the
  agency's seal (the organisation's digital signature, chữ ký số của cơ quan). Both signatures stay
  valid; the last covers the whole document.

Only plugins that sign at once are used here (the key kept in the system); a remote signer, which
answers later, is refused with a message. Without signing configured nothing is signed: the issued
PDF is laid out again with its number and date (motcua.documents.rendering).
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
from motcua.signing import conf, pades, selectors, signers
from motcua.signing.constants import RequestState
from motcua.signing.models import Certificate

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


def sign_by_leader(document: OfficialDocument, pdf: bytes, leader: User, now: datetime.datetime) -> bytes:
    """The draft ``pdf`` signed by ``leader`` (visible, with the agency's seal)."""
    certificate = _certificate(user=leader, now=now)
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
        description=f"Ký văn bản: {document.summary}"[:500],
    )
    return _sign(job)


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
