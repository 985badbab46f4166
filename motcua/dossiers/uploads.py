"""Checks and storage for uploaded files: type by content (never by name), size, digest, the name
a file is kept and served under, and how many files and bytes one dossier may hold."""

import hashlib
import re
from dataclasses import dataclass
from typing import IO

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

from motcua.core.text import clean_text
from motcua.dossiers.errors import InvalidInput

# Content types accepted from applicants and officers, with the extension we store them under.
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    extension: str
    size: int
    sha256: str


def _refuse(message: str) -> None:
    raise InvalidInput(message, errors={"file": [message]})


def max_upload_bytes() -> int:
    return int(getattr(settings, "MOTCUA_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def check_upload(upload: IO[bytes], name: str) -> CheckedFile:
    """Refuse a file whose content is not PDF, JPEG or PNG, or that is empty or too large."""
    limit = max_upload_bytes()
    upload.seek(0)
    head = upload.read(8192)
    digest = hashlib.sha256(head)
    size = len(head)
    while chunk := upload.read(1024 * 1024):
        size += len(chunk)
        digest.update(chunk)
        if size > limit:
            break
    upload.seek(0)
    if size == 0:
        _refuse(_("Tệp “%(name)s” rỗng.") % {"name": name})
    if size > limit:
        _refuse(
            _("Tệp “%(name)s” quá lớn: tối đa %(mb)s MB.")
            % {"name": name, "mb": max(limit // (1024 * 1024), 1)}
        )
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        _refuse(_("Tệp “%(name)s” không phải PDF, JPG hoặc PNG.") % {"name": name})
    return CheckedFile(
        name=stored_name(name, ALLOWED_TYPES[kind.mime]),
        content_type=kind.mime,
        extension=ALLOWED_TYPES[kind.mime],
        size=size,
        sha256=digest.hexdigest(),
    )


_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def stored_name(name: str, extension: str) -> str:
    """The name a file is kept and served under: what the person called it, ending in the extension of
    the type its content was found to be (``jpg.html`` holding a JPEG becomes ``jpg.jpg``, ``x.pdf.exe``
    holding a PDF ``x.pdf``), without path separators or control characters, at most 255 characters."""
    base = _UNSAFE_IN_NAME.sub("_", clean_text(name)).strip(" ._") or "tep"
    stem, dot, _suffix = base.rpartition(".")
    if dot and stem:
        base = stem
    if base.lower().endswith(extension):
        base = base[: -len(extension)]
    return base[: 255 - len(extension)] + extension


def check_dossier_room(count: int, total: int, adding: list[int]) -> None:
    """Refuse files that would take a dossier past MOTCUA_DOSSIER_MAX_FILES files or MOTCUA_DOSSIER_MAX_BYTES
    bytes (applicants' papers and scans, replaced ones included: they stay stored). ``count`` and
    ``total`` are what it holds; ``adding`` the sizes of the new files."""
    max_files = int(getattr(settings, "MOTCUA_DOSSIER_MAX_FILES", 30))
    max_bytes = int(getattr(settings, "MOTCUA_DOSSIER_MAX_BYTES", 100 * 1024 * 1024))
    if count + len(adding) > max_files:
        _refuse(_("Hồ sơ đã đủ số tệp tối đa (%(n)s tệp).") % {"n": max_files})
    if total + sum(adding) > max_bytes:
        _refuse(
            _("Tổng dung lượng tệp của hồ sơ vượt quá %(mb)s MB.")
            % {"mb": max(max_bytes // (1024 * 1024), 1)}
        )
