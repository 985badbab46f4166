"""The demo's signing material (``manage.py signing_demo_ca``, run by ``make demo``), made with the
test CA (motcua.signing.testca) under MOTCUA_SIGNING_DIR:

- ``ca/root.pem`` (+ its key): the root the verification trusts (MOTCUA_SIGNING_TRUST_ROOTS);
- ``tsa/tsa.pem`` (+ key): the time-stamp authority's certificate (``manage.py signing_tsa``);
- ``remote/<user_id>/``: the remote signer's key for the demo leader (``manage.py signing_standin``);
- ``nss/``: the root in an NSS database, for poppler's ``pdfsig -nssdir sql:<dir>/nss``;
- in the database, through the same services an administrator uses: a certificate (PKCS#12, key
  encrypted) for every leader and every agency, and each agency's seal image.

Idempotent: existing files and usable certificates are kept.
"""

import secrets
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from motcua.accounts.constants import Role
from motcua.accounts.models import Membership, User
from motcua.agencies.models import Agency
from motcua.signing import selectors, services, testca
from motcua.signing.models import Seal

# The demo leader whose certificate is also held by the remote-signing stand-in (user id = username).
REMOTE_DEMO_USERS = ("leader",)


@dataclass
class Material:
    root: testca.Issued
    tsa: testca.Issued
    directory: Path

    @property
    def root_pem(self) -> Path:
        return self.directory / "ca" / "root.pem"


def _write(path: Path, data: bytes, private: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if private:
        path.chmod(0o600)


def _load_or_make(cert: Path, key: Path, make: Callable[[], testca.Issued]) -> testca.Issued:
    if cert.exists() and key.exists():
        return testca.load_issued(cert.read_bytes(), key.read_bytes())
    issued = make()
    _write(key, issued.key_pem, private=True)
    _write(cert, issued.pem)
    return issued


def ensure_authorities(directory: Path) -> Material:
    """The root CA and the TSA certificate under ``directory`` (made once)."""
    root = _load_or_make(directory / "ca" / "root.pem", directory / "ca" / "root.key.pem", testca.make_root)
    tsa = _load_or_make(
        directory / "tsa" / "tsa.pem",
        directory / "tsa" / "tsa.key.pem",
        lambda: testca.issue(root, "motcua Test TSA (demo)", organization="motcua", purpose="tsa"),
    )
    chain = directory / "tsa" / "chain.pem"
    if not chain.exists():
        _write(chain, root.pem)
    return Material(root=root, tsa=tsa, directory=directory)


def ensure_nss_database(material: Material) -> Path | None:
    """An NSS database trusting the root, for ``pdfsig -nssdir``; None without ``certutil``
    (Debian: libnss3-tools)."""
    certutil = shutil.which("certutil")
    folder = material.directory / "nss"
    if certutil is None:
        return None
    if (folder / "cert9.db").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    # certutil found on PATH, with arguments of our own.
    subprocess.run(  # noqa: S603
        [certutil, "-N", "-d", f"sql:{folder}", "--empty-password"], check=True, capture_output=True
    )
    subprocess.run(  # noqa: S603
        [
            certutil,
            "-A",
            "-d",
            f"sql:{folder}",
            "-n",
            "motcua-demo-root",
            "-t",
            "CT,C,C",
            "-i",
            str(material.root_pem),
        ],
        check=True,
        capture_output=True,
    )
    return folder


def ensure_remote_signer(material: Material, user_id: str, common_name: str, organization: str) -> Path:
    """The key and certificate the remote-signing stand-in holds for ``user_id``."""
    folder = material.directory / "remote" / user_id
    _load_or_make(
        folder / "cert.pem",
        folder / "key.pem",
        lambda: testca.issue(material.root, common_name, organization=organization),
    )
    if not (folder / "chain.pem").exists():
        _write(folder / "chain.pem", material.root.pem)
    return folder


def _import(
    material: Material, common_name: str, organization: str, *, user=None, agency=None, email=""
) -> None:
    issued = testca.issue(material.root, common_name, organization=organization, email=email)
    password = secrets.token_urlsafe(12)
    services.import_pkcs12(
        testca.pkcs12_bytes(issued, [material.root], password, friendly_name=common_name),
        password,
        user=user,
        agency=agency,
    )


def ensure_certificates(material: Material, *, progress: Callable[[str], None] = lambda _m: None) -> dict:
    """A usable local certificate for every leader and every agency, and every agency's seal."""
    counts = {"leaders": 0, "agencies": 0, "seals": 0, "remote": 0}
    leaders = (
        User.objects.filter(memberships__role=Role.LEADER, is_active=True).distinct().order_by("username")
    )
    with transaction.atomic():
        for user in leaders:
            if selectors.usable_certificate(user=user) is None:
                membership = (
                    Membership.objects.filter(user=user, role=Role.LEADER).select_related("agency").first()
                )
                agency = membership.agency if membership is not None else None
                organization = agency.name if agency is not None else ""
                _import(material, user.full_name or user.username, organization, user=user, email=user.email)
                counts["leaders"] += 1
            if user.username in REMOTE_DEMO_USERS:
                ensure_remote_signer(material, user.username, user.full_name or user.username, "motcua")
                counts["remote"] += 1
        for agency in Agency.objects.order_by("code"):
            if selectors.usable_certificate(agency=agency) is None:
                _import(material, agency.name, agency.name, agency=agency)
                counts["agencies"] += 1
            if not Seal.objects.filter(agency=agency).exists():
                services.set_seal(agency, testca.seal_png(agency.name))
                counts["seals"] += 1
    progress(
        f"Signing: {counts['leaders']} leader and {counts['agencies']} agency certificates added, "
        f"{counts['seals']} seals."
    )
    return counts
