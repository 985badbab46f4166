"""Checks and storage for uploaded files: type by content (never by name), size, digest."""

import hashlib
from dataclasses import dataclass
from typing import IO

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

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
        name=name[:255],
        content_type=kind.mime,
        extension=ALLOWED_TYPES[kind.mime],
        size=size,
        sha256=digest.hexdigest(),
    )
