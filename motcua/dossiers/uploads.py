"""Checks and storage for uploaded files: type by content (never by name), size, digest."""

import hashlib
from dataclasses import dataclass
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
        raise ValidationError(_("Tệp “%(name)s” rỗng (The file is empty).") % {"name": name}, code="empty")
    if size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn: tối đa %(mb)s MB (The file is too large: at most %(mb)s MB).")
            % {"name": name, "mb": limit // (1024 * 1024)},
            code="too_large",
        )
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("Tệp “%(name)s” không phải PDF, JPG hoặc PNG (Only PDF, JPG or PNG files are accepted).")
            % {"name": name},
            code="file_type",
        )
    return CheckedFile(
        name=name[:255],
        content_type=kind.mime,
        extension=ALLOWED_TYPES[kind.mime],
        size=size,
        sha256=digest.hexdigest(),
    )
