"""The demo's signing material (``manage.py signing_demo_ca``, run by ``make demo``), made with the
test CA (motcua.signing.testca) under MOTCUA_SIGNING_DIR:

- ``ca/root.pem`` (+ its key): the root the verification trusts (MOTCUA_SIGNING_TRUST_ROOTS);
- ``tsa/tsa.pem`` (+ key): the time-stamp authority's certificate (``manage.py signing_tsa``);
- ``remote/<user_id>/``: the remote signer's key for the demo leader (``manage.py signing_standin``);
- ``nss/``: the root in an NSS database, for poppler's ``pdfsig -nssdir sql:<dir>/nss``;
- in the database, through the same services an administrator uses: a certificate (PKCS#12, key
  encrypted) for every leader and every agency, and each agency's seal image; a leader of
  REMOTE_ONLY_DEMO_USERS gets instead the certificate the remote-signing stand-in holds for them
  (read from its files: the stand-in starts after this command, so it cannot be asked).

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
from motcua.core import audit
from motcua.signing import selectors, services, testca
from motcua.signing.constants import Provider
from motcua.signing.models import Certificate, Seal

# The demo leader whose certificate is also held by the remote-signing stand-in (user id = username).
REMOTE_DEMO_USERS = ("leader",)
# The demo leader who signs only remotely: the documents' demo (Phường Minh Xuân's vice-chair).
REMOTE_ONLY_DEMO_USERS = ("phochutich",)


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


def _register_remote(folder: Path, user: User) -> Certificate:
    """The certificate the stand-in holds for ``user`` (its files), as add_remote_certificate records
    it from the service's answer."""
    import base64
    import hashlib
    import uuid

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization

    certificate = x509.load_pem_x509_certificate((folder / "cert.pem").read_bytes())
    chain = x509.load_pem_x509_certificates((folder / "chain.pem").read_bytes())
    der = certificate.public_bytes(serialization.Encoding.DER)
    common_name = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    issuer_name = certificate.issuer.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    row = Certificate.objects.create(
        user=user,
        provider=Provider.SMARTCA,
        subject=str(common_name[0].value) if common_name else user.username,
        issuer=str(issuer_name[0].value) if issuer_name else "",
        serial_number=format(certificate.serial_number, "x"),
        fingerprint=hashlib.sha256(der).hexdigest(),
        valid_from=certificate.not_valid_before_utc,
        valid_to=certificate.not_valid_after_utc,
        certificate_der=der,
        chain=[base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in chain],
        remote_user_id=user.username,
        # The stand-in's cert_id (motcua.signing.standin.StandIn.get_certificate).
        remote_credential_id=uuid.uuid5(
            uuid.NAMESPACE_OID, certificate.fingerprint(hashes.SHA256()).hex()
        ).hex,
    )
    audit.record("signing.certificate_added", obj=row, summary=str(row), remote=True, demo=True)
    return row


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
            if user.username in REMOTE_ONLY_DEMO_USERS:
                folder = ensure_remote_signer(
                    material, user.username, user.full_name or user.username, "motcua"
                )
                if selectors.usable_certificate(user=user) is None:
                    _register_remote(folder, user)
                counts["remote"] += 1
                continue
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
        f"{counts['seals']} seals; {', '.join(REMOTE_ONLY_DEMO_USERS)} signs with the remote signer."
    )
    return counts
