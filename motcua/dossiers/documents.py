"""The documents a dossier issues (notices 01–05, the result) and what apps above may do to them.

Dossiers lays out and stores its generated documents (motcua.dossiers.services.base.render_pending)
but knows nothing of signatures. An app above it (motcua.signing) fills this module at
``AppConfig.ready()``:

- ``FINISHERS``: functions ``(attachment, pdf) -> pdf``, applied in order by ``render_pending`` to the
  rendered bytes before they are stored, in the transaction that stores them. A finisher may set the
  attachment's signature fields (``SIGNATURE_FIELDS``); they are saved with the file. A finisher must
  not raise for an expected problem (no certificate, a service down): it records it in those fields and
  returns the bytes it was given.
- the signature requirement (``require_signed_results``): whether a result must carry a completed
  signature before the one-stop unit returns it (``rules.RESULT_SIGNED``).

Each issued document also gets a verification code, printed on it (QR code and address): the public
verification page finds the document by it.
"""

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

from motcua.dossiers.constants import AttachmentKind, NoticeForm
from motcua.dossiers.models import Attachment

Finisher = Callable[[Attachment, bytes], bytes]

FINISHERS: list[Finisher] = []
# The fields of Attachment a finisher may set; render_pending saves them with the file.
SIGNATURE_FIELDS = ("signature_state", "signature_note", "signed_by", "signed_at")

# Where the result document reserves the room for its visible signature: the id of an empty block of
# this size (millimetres) in dossiers/notices/result.html. WeasyPrint writes the id as a named
# destination (its top-left corner), which the signer reads to place the signature.
SIGNATURE_ANCHOR = "chu-ky-so"
SIGNATURE_BOX_MM = (80, 28)

# What each issued document is, in the words of the API (GET /api/dossiers/{code}/documents).
NOTICE_KINDS = {
    NoticeForm.RECEIPT: "receipt",
    NoticeForm.SUPPLEMENT: "supplement_request",
    NoticeForm.REFUSAL: "refusal",
    NoticeForm.APOLOGY: "apology",
    NoticeForm.STOP: "stop",
}
RESULT_KIND = "result"
ISSUED_ATTACHMENT_KINDS = (AttachmentKind.NOTICE, AttachmentKind.RESULT)
# Where the public verification page lives (motcua.portal); printed on every issued document.
VERIFICATION_PATH = "/xac-thuc/"


def issued_kind(attachment: Attachment) -> str | None:
    """``receipt``, ``supplement_request``, ``refusal``, ``apology``, ``stop`` or ``result``; None for
    a file the dossier does not issue (the applicant's papers, scans, internal files)."""
    if attachment.kind == AttachmentKind.RESULT:
        return RESULT_KIND
    if attachment.kind == AttachmentKind.NOTICE and attachment.notice_form:
        return NOTICE_KINDS.get(NoticeForm(attachment.notice_form))
    return None


def register_finisher(finisher: Finisher) -> Finisher:
    """Add ``finisher`` once (AppConfig.ready may run more than once in tests)."""
    if finisher not in FINISHERS:
        FINISHERS.append(finisher)
    return finisher


def finish(attachment: Attachment, pdf: bytes) -> bytes:
    """The rendered ``pdf`` passed through every finisher."""
    for finisher in FINISHERS:
        pdf = finisher(attachment, pdf)
    return pdf


# -- the signature requirement ---------------------------------------------------------------------------

_requirement: list[Callable[[], bool]] = []
_later: ContextVar[bool] = ContextVar("motcua_results_signed_later", default=False)


def require_signed_results(predicate: Callable[[], bool]) -> None:
    """Results must be signed before they are returned whenever ``predicate()`` is true (the signing
    app passes whether signing is configured)."""
    _requirement[:] = [predicate]


def signed_results_required() -> bool:
    if _later.get():
        return False
    return any(predicate() for predicate in _requirement)


@contextmanager
def results_signed_later() -> Iterator[None]:
    """Results returned in the block need no completed signature: the demo loader writes a year of
    history in one transaction, and its results are signed after the commit, when the task worker
    renders them. Explicit, so that nothing needs patching; nothing else uses it."""
    token = _later.set(True)
    try:
        yield
    finally:
        _later.reset(token)


# -- verification codes ----------------------------------------------------------------------------------


def new_verification_code() -> str:
    """16 characters from an alphabet without look-alikes (no 0/O, 1/I/L): easy to read aloud."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


def verification_url(code: str) -> str:
    base = getattr(settings, "MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}{VERIFICATION_PATH}{code}"
