"""A certificate authority the project makes itself, for the demo and the tests (never production).

Only a licensed provider's signature equals a handwritten one (Law on Electronic Transactions 2023);
a deployment loads the certificates its provider issued (PKCS#12, in the admin) and trusts that
provider's roots (``MOTCUA_SIGNING_TRUST_ROOTS``). This module makes the stand-ins:

- a root CA;
- signing certificates for people (leaders) and agencies (the seal), with the key usages a document
  signature needs (digital signature, non-repudiation) and the e-mail protection purpose NSS asks of
  a document signer (poppler's ``pdfsig``);
- a time-stamping authority's certificate (the critical ``timeStamping`` purpose RFC 3161 asks);
- a seal image for an agency's visible signature (a red ring with the agency's name).

Keys are RSA-2048 (what Vietnamese remote-signing services use, and fast).
"""

import datetime
import io
import math
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

KEY_SIZE = 2048
ROOT_NAME = "motcua Test Root CA (demo, not trusted)"


@dataclass(frozen=True)
class Issued:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    @property
    def key_der(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def _name(common_name: str, organization: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organization:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization[:64]))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]))
    return x509.Name(parts)


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def make_root(
    name: str = ROOT_NAME,
    *,
    valid_from: datetime.datetime | None = None,
    years: int = 10,
    key: rsa.RSAPrivateKey | None = None,
) -> Issued:
    key = key or new_key()
    start = valid_from or _now() - datetime.timedelta(days=3 * 365)
    subject = _name(name, "motcua")
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=365 * years + 3 * 365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(key, certificate)


def issue(
    ca: Issued,
    common_name: str,
    *,
    organization: str = "",
    purpose: str = "document",
    valid_from: datetime.datetime | None = None,
    valid_to: datetime.datetime | None = None,
    key: rsa.RSAPrivateKey | None = None,
    email: str = "",
) -> Issued:
    """A certificate signed by ``ca``: ``purpose`` "document" (a signer of documents) or "tsa".
    By default valid from two years ago (the demo's history is signed in the past) for five years."""
    key = key or new_key()
    start = valid_from or _now() - datetime.timedelta(days=2 * 365)
    end = valid_to or start + datetime.timedelta(days=5 * 365)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organization))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )
    if purpose == "tsa":
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    else:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        ).add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        if email:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
            )
    return Issued(key, builder.sign(ca.key, hashes.SHA256()))


def pkcs12_bytes(issued: Issued, chain: list[Issued], password: str, friendly_name: str = "") -> bytes:
    """A PKCS#12 file of ``issued`` with its chain, encrypted with ``password`` (what a provider hands
    an official, and what the admin uploads)."""
    return pkcs12.serialize_key_and_certificates(
        name=(friendly_name or "motcua").encode(),
        key=issued.key,
        cert=issued.certificate,
        cas=[c.certificate for c in chain],
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
    )


def load_issued(cert_pem: bytes, key_pem: bytes) -> Issued:
    key = serialization.load_pem_private_key(key_pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("The test CA uses RSA keys.")
    return Issued(key, x509.load_pem_x509_certificate(cert_pem))


# -- seal image --------------------------------------------------------------------------------------------

SEAL_RED = (200, 16, 46, 255)


def seal_png(agency_name: str, size: int = 240) -> bytes:
    """A round red seal with the agency's name around a star: the image drawn beside an agency's
    visible signature. A stand-in for the agency's real seal image, which the admin uploads."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    centre = size / 2
    draw.ellipse([4, 4, size - 4, size - 4], outline=SEAL_RED, width=8)
    draw.ellipse([34, 34, size - 34, size - 34], outline=SEAL_RED, width=3)
    _star(draw, centre, centre, size * 0.16, SEAL_RED)
    font = _seal_font(ImageFont, size)
    text = agency_name.upper()[:48]
    radius = size / 2 - 20
    # The name around the ring, clockwise from the left.
    span = math.radians(min(300, 7.2 * len(text)))
    start = -math.pi / 2 - span / 2
    for i, char in enumerate(text):
        angle = start + span * (i + 0.5) / max(len(text), 1)
        x = centre + radius * math.cos(angle)
        y = centre + radius * math.sin(angle)
        glyph = Image.new("RGBA", (24, 24), (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((12, 12), char, font=font, fill=SEAL_RED, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        image.alpha_composite(glyph, (int(x - 12), int(y - 12)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _seal_font(image_font, size: int):
    for path in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    ):
        try:
            return image_font.truetype(path, max(10, size // 16))
        except OSError:
            continue
    return image_font.load_default()


def _star(draw, cx: float, cy: float, radius: float, colour) -> None:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.4
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=colour)
