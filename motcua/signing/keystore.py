"""Private keys at rest, and the PKCS#12 files an official's certificate comes in.

A key is kept as PKCS#8 DER encrypted with Fernet (AES-128-CBC with HMAC-SHA256) under a key derived
from ``MOTCUA_SIGNING_KEY`` (motcua.signing.conf.key_secret); it is decrypted only in the process
that signs, for the signature, and never written elsewhere.
"""

import base64
import datetime
from dataclasses import dataclass

from cryptography import x509
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from motcua.signing import conf


class KeystoreError(ValueError):
    """A PKCS#12 file that cannot be read, or a key that cannot be decrypted."""


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(conf.key_secret()))


def encrypt_key(der_pkcs8: bytes) -> bytes:
    return _fernet().encrypt(der_pkcs8)


def decrypt_key(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(bytes(token))
    except InvalidToken:
        raise KeystoreError(
            "The private key cannot be decrypted: MOTCUA_SIGNING_KEY (or DJANGO_SECRET_KEY) changed."
        ) from None


@dataclass(frozen=True)
class Bundle:
    """What a PKCS#12 file holds: the key (PKCS#8 DER), the certificate and the chain (DER)."""

    key_der: bytes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]

    @property
    def certificate_der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def chain_der(self) -> tuple[bytes, ...]:
        return tuple(c.public_bytes(serialization.Encoding.DER) for c in self.chain)


def read_pkcs12(data: bytes, password: str) -> Bundle:
    """The key, certificate and chain of a PKCS#12 file; KeystoreError with a plain message when the
    file or the password is wrong, or the key is of a kind we do not sign with."""
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, (password or "").encode() or None)
    except (ValueError, TypeError):
        raise KeystoreError("wrong_password_or_file") from None
    if key is None or certificate is None:
        raise KeystoreError("no_key")
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise KeystoreError("unsupported_key")
    if key.public_key().public_numbers() != certificate.public_key().public_numbers():  # type: ignore[union-attr]
        raise KeystoreError("key_mismatch")
    key_der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return Bundle(key_der=key_der, certificate=certificate, chain=tuple(chain or ()))


def subject_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def issuer_name(certificate: x509.Certificate) -> str:
    names = certificate.issuer.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.issuer.rfc4514_string()


def validity(certificate: x509.Certificate) -> tuple[datetime.datetime, datetime.datetime]:
    return certificate.not_valid_before_utc, certificate.not_valid_after_utc
