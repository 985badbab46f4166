"""A dossier's file as an HTTP response: one header policy for the portal, the staff pages and the API.

The views check who may see the file (``selectors.can_download``); this module only answers:

- ``Content-Type``: the type stored with the file (checked from its content at upload,
  motcua.dossiers.uploads; ``application/pdf`` for the documents we generate);
- ``Content-Disposition``: ``inline`` for a PDF when the caller asks for it (the browser shows it),
  ``attachment`` otherwise; with a name we choose (:func:`download_name`), never the stored one:
  an ASCII ``filename=`` for old clients and the Vietnamese name in ``filename*=UTF-8''…`` (RFC 5987,
  RFC 6266);
- ``X-Content-Type-Options: nosniff``: the browser never second-guesses the type;
- ``Cache-Control: private, no-store``: personal documents stay out of shared and browser caches.

A generated document still pending (motcua.dossiers.services.base) is rendered first, once.
"""

import logging
import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote

from django.http import FileResponse, Http404

from motcua.dossiers.models import Attachment
from motcua.dossiers.services.base import render_pending

logger = logging.getLogger(__name__)

# Types a browser may show in its own viewer; anything else is always downloaded.
INLINE_TYPES = frozenset({"application/pdf"})
# Longest name offered, before the extension (file systems allow 255 bytes; Vietnamese takes 2–3 each).
MAX_NAME = 80
FALLBACK_NAME = "tep"
# Characters no file system or header should receive in a name.
_UNSAFE = re.compile(r'[\\/:*?"<>|;]+')
_SPACES = re.compile(r"\s+")


def _clean(name: str) -> str:
    """``name`` without control or format characters (bidi overrides...), path separators or
    characters file systems refuse; spaces collapsed, no leading or trailing dots."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in name)
    name = _UNSAFE.sub(" ", name)
    name = _SPACES.sub(" ", name).strip(" .")
    return name[:MAX_NAME].rstrip(" .")


def download_name(attachment: Attachment) -> str:
    """The name a file is offered under: the catalogue's name of the document it answers (as the
    staff and applicant pages list it), else the name given at upload or generation without its
    folders and extension; always with the extension of the type checked at upload."""
    document = attachment.document if attachment.document_id else None
    if document is not None:
        stem = document.name
    else:
        # The last part under either kind of separator, then its extension dropped.
        base = PureWindowsPath(PurePosixPath(attachment.original_name).name).name
        stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    stem = _clean(stem) or FALLBACK_NAME
    return stem + attachment.extension


def _ascii(name: str) -> str:
    """An ASCII fallback of ``name`` for the plain ``filename=`` parameter (đ → d, diacritics dropped)."""
    name = name.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in decomposed if ch.isascii() and ch.isprintable() and ch not in '"\\')
    return _SPACES.sub(" ", text).strip() or FALLBACK_NAME


def content_disposition(name: str, *, inline: bool) -> str:
    """``inline`` or ``attachment`` with both name parameters (RFC 6266 section 4.3)."""
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{_ascii(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def attachment_response(attachment: Attachment, *, inline: bool) -> FileResponse:
    """The file of ``attachment`` with the headers above; a pending generated document is rendered
    first. ``inline`` asks the browser to show the file when its type allows (PDF). A file missing
    from storage is a 404 (and a warning in the log)."""
    if attachment.pending:
        render_pending(attachment)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        logger.warning("File of attachment %s is missing from storage", attachment.pk)
        raise Http404 from None
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(
        download_name(attachment), inline=inline and attachment.content_type in INLINE_TYPES
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
