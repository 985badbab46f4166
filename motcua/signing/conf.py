"""The signing settings (motcua/settings.py, README's configuration table), read at call time so that
tests can change them."""

import hashlib
from functools import lru_cache
from pathlib import Path

from asn1crypto import x509
from django.conf import settings

from motcua.signing.pades import load_certificate


def enabled() -> bool:
    """Signing is configured: issued documents are signed and a result is returned only once signed."""
    return bool(getattr(settings, "MOTCUA_SIGNING_ENABLED", False))


def signing_dir() -> Path:
    return Path(settings.MOTCUA_SIGNING_DIR)


def timestamp_url() -> str | None:
    """The RFC 3161 time-stamp authority (B-T signatures); None: signatures without time-stamp (B-B)."""
    return getattr(settings, "MOTCUA_SIGNING_TSA_URL", "") or None


def trust_root_paths() -> list[Path]:
    return [Path(p) for p in getattr(settings, "MOTCUA_SIGNING_TRUST_ROOTS", [])]


def trust_roots() -> list[x509.Certificate]:
    """The roots a signature must chain to for the verification to call it trusted. A missing file is
    skipped (a fresh installation before ``signing_demo_ca``)."""
    stamped = []
    for path in trust_root_paths():
        try:
            stat = path.stat()
        except OSError:
            continue
        stamped.append((str(path), stat.st_mtime_ns, stat.st_size))
    return list(_load_roots(tuple(stamped)))


@lru_cache(maxsize=8)
def _load_roots(stamped: tuple[tuple[str, int, int], ...]) -> tuple[x509.Certificate, ...]:
    roots = []
    for path, _mtime, _size in stamped:
        data = Path(path).read_bytes()
        for block in _pem_blocks(data):
            roots.append(load_certificate(block))
    return tuple(roots)


def _pem_blocks(data: bytes) -> list[bytes]:
    if b"-----BEGIN" not in data:
        return [data]
    blocks, current = [], []
    for line in data.splitlines(keepends=True):
        if line.startswith(b"-----BEGIN"):
            current = [line]
        elif line.startswith(b"-----END"):
            current.append(line)
            blocks.append(b"".join(current))
            current = []
        elif current:
            current.append(line)
    return blocks


def key_secret() -> bytes:
    """What the private keys are encrypted with at rest: MOTCUA_SIGNING_KEY, or, without it, a key
    derived from DJANGO_SECRET_KEY (set MOTCUA_SIGNING_KEY in production, so that rotating the secret
    key does not lock the keys away)."""
    secret = getattr(settings, "MOTCUA_SIGNING_KEY", "") or settings.SECRET_KEY
    return hashlib.sha256(b"motcua.signing.keys:" + secret.encode()).digest()


def remote_url() -> str:
    return settings.MOTCUA_SIGNING_REMOTE_URL.rstrip("/")


def remote_credentials() -> tuple[str, str]:
    return settings.MOTCUA_SIGNING_REMOTE_SP_ID, settings.MOTCUA_SIGNING_REMOTE_SP_PASSWORD


def remote_poll_seconds() -> int:
    return int(getattr(settings, "MOTCUA_SIGNING_REMOTE_POLL_SECONDS", 5))
