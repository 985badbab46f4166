"""PAdES signatures with pyHanko: sign with a key at hand, sign a hash elsewhere, verify.

- :func:`sign` signs a PDF at once with a private key we hold (PAdES baseline, SHA-256, RSA PKCS#1
  v1.5), with a time-stamp from an RFC 3161 authority when ``timestamp_url`` is given (B-T) and
  without (B-B), visibly (``Appearance``, in a box) or not.
- :func:`prepare_external` and :func:`finish_external` are pyHanko's *interrupted signing*: the
  document is prepared with a placeholder, the hash of the signed attributes goes to a remote signer
  (the signer confirms on their phone), and the signature value it sends back completes the CMS
  container, time-stamped then. What must survive between the two (the prepared PDF, the byte-range
  digest, the signed attributes) is a plain :class:`Prepared` that the caller stores.
- :func:`verify` reports each signature of a PDF: intact (the signed bytes are unchanged and the
  signature value is right), trusted (the signer's certificate chains to one of our roots and was
  valid at signing), the signer's name and the signing time (the time-stamp's when there is one).

Everything here is pure: bytes in, bytes out, no database.
"""

import asyncio
import base64
import concurrent.futures
import datetime
import hashlib
import io
import logging
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from asn1crypto import cms, keys, x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic, images
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

logger = logging.getLogger(__name__)

MD_ALGORITHM = "sha256"
FIELD_NAME = "ChuKySo"
MM = 72 / 25.4
# How long a time-stamp authority may take to answer (seconds).
TSA_TIMEOUT = 10

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
)


class SignatureFailed(Exception):
    """The PDF could not be signed (unreadable, encrypted, the time-stamp authority did not answer...)."""


@dataclass(frozen=True)
class Credential:
    """A certificate with its chain up to (and including) the root, and its private key when we hold
    it (None for a remote signer)."""

    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()
    private_key: keys.PrivateKeyInfo | None = None

    @property
    def common_name(self) -> str:
        return common_name(self.certificate)


@dataclass(frozen=True)
class Box:
    """Where a visible signature goes: page index (0-based; -1 the last page) and a rectangle in PDF
    points (x1, y1, x2, y2) from the bottom left."""

    page: int
    rect: tuple[float, float, float, float]


@dataclass(frozen=True)
class Appearance:
    """What a visible signature shows: lines of text and, on the left, a seal image (PNG bytes)."""

    lines: tuple[str, ...]
    seal_png: bytes | None = None


@dataclass(frozen=True)
class Prepared:
    """A document prepared for a remote signature: store it until the signer answers."""

    pdf: bytes  # the document with its placeholder
    document_digest: bytes
    reserved_start: int
    reserved_end: int
    signed_attrs: bytes  # DER
    certificate: bytes  # DER
    chain: tuple[bytes, ...]

    @property
    def to_be_signed(self) -> bytes:
        """The SHA-256 the remote signer signs (the hash of the DER signed attributes)."""
        return hashlib.sha256(self.signed_attrs).digest()


@dataclass
class SignatureReport:
    """One signature of a PDF, as verified."""

    field_name: str
    intact: bool
    trusted: bool
    signer: str
    signed_at: datetime.datetime | None
    timestamped: bool
    covers_whole_document: bool
    certificate_serial: int | None = None
    certificate_sha256: str = ""
    problem: str = ""
    chain: list[str] = field(default_factory=list)


def _run(coroutine):
    """Run one of pyHanko's coroutines to its end, also from a thread whose event loop is running
    (a test driving a browser, an async view): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# -- certificates -----------------------------------------------------------------------------------------


def load_certificate(data: bytes) -> x509.Certificate:
    """A certificate from DER or PEM bytes."""
    if data.lstrip().startswith(b"-----BEGIN"):
        data = _pem_body(data)
    return x509.Certificate.load(data)


def _pem_body(data: bytes) -> bytes:
    from asn1crypto import pem

    _type, _headers, der = pem.unarmor(data)
    return der


def load_private_key(der_pkcs8: bytes) -> keys.PrivateKeyInfo:
    return keys.PrivateKeyInfo.load(der_pkcs8)


def private_key_der(key) -> bytes:
    """PKCS#8 DER of a ``cryptography`` private key."""
    return key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def common_name(certificate: x509.Certificate) -> str:
    subject = certificate.subject.native
    return str(subject.get("common_name") or subject.get("organization_name") or "")


# -- appearance --------------------------------------------------------------------------------------------


# The appearance is drawn as one image, this many pixels per millimetre of the box: pyHanko would embed
# and subset a font for each signature (about 0.2 s), an image costs a few milliseconds.
APPEARANCE_PX_PER_MM = 10
APPEARANCE_INK = (20, 20, 20, 255)
APPEARANCE_BORDER = (191, 26, 26, 255)


@cache
def _font_path() -> str:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    raise SignatureFailed(
        "No DejaVu Sans font for the visible signature (Debian: apt-get install fonts-dejavu-core)."
    )


@lru_cache(maxsize=64)
def _seal_image(seal_png: bytes, size: int):
    from PIL import Image

    seal = Image.open(io.BytesIO(seal_png)).convert("RGBA")
    seal.thumbnail((size, size), Image.Resampling.LANCZOS)
    return seal


def appearance_image(appearance: Appearance, size_mm: tuple[float, float]):
    """The visible signature as a PIL image of ``size_mm``: a thin red frame, the seal on the left,
    the lines of text beside it (shrunk to fit)."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = round(size_mm[0] * APPEARANCE_PX_PER_MM), round(size_mm[1] * APPEARANCE_PX_PER_MM)
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width - 1, height - 1], outline=APPEARANCE_BORDER, width=3)
    margin = height // 14
    left = margin * 2
    if appearance.seal_png:
        seal = _seal_image(appearance.seal_png, round(height * 0.8))
        image.alpha_composite(seal, (margin, (height - seal.height) // 2))
        left = margin * 2 + seal.width
    room = width - left - margin * 2
    size = height // 6
    font = ImageFont.truetype(_font_path(), size)
    while size > 10 and max(draw.textlength(line, font=font) for line in appearance.lines) > room:
        size -= 1
        font = ImageFont.truetype(_font_path(), size)
    leading = round(size * 1.35)
    top = (height - leading * len(appearance.lines)) // 2
    for i, line in enumerate(appearance.lines):
        draw.text((left, top + i * leading), line, font=font, fill=APPEARANCE_INK)
    return image


def _stamp_style(appearance: Appearance, box: "Box") -> StaticStampStyle:
    x1, y1, x2, y2 = box.rect
    size_mm = ((x2 - x1) / MM, (y2 - y1) / MM)
    return StaticStampStyle(
        background=images.PdfImage(appearance_image(appearance, size_mm)),
        border_width=0,
        background_opacity=1.0,
    )


# -- where the box goes ------------------------------------------------------------------------------------


def anchor_box(pdf: bytes, anchor: str, size_mm: tuple[float, float]) -> Box | None:
    """The box of ``size_mm`` whose top-left corner is the named destination ``anchor`` (WeasyPrint
    writes one for each element id); None when the PDF has no such destination."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        names = reader.root.get("/Names")
        dests = names.get("/Dests") if names is not None else None
        target = _name_tree_lookup(dests, anchor) if dests is not None else None
        if target is None:
            return None
        if isinstance(target, generic.DictionaryObject):
            target = target["/D"]
        page_ref = target.raw_get(0) if hasattr(target, "raw_get") else target[0]
        left, top = float(target[2]), float(target[3])
        page = _page_index(reader, page_ref)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        logger.warning("No signature anchor %s in the PDF: %s", anchor, exc)
        return None
    if page is None:
        return None
    width, height = size_mm[0] * MM, size_mm[1] * MM
    return Box(page=page, rect=(left, top - height, left + width, top))


def _name_tree_lookup(node, name: str):
    node = node.get_object() if hasattr(node, "get_object") else node
    if "/Names" in node:
        entries = node["/Names"]
        for i in range(0, len(entries) - 1, 2):
            if str(entries[i]) == name:
                return entries[i + 1]
    for kid in node.get("/Kids", ()):
        found = _name_tree_lookup(kid, name)
        if found is not None:
            return found
    return None


def _page_index(reader: PdfFileReader, page_ref) -> int | None:
    wanted = (page_ref.idnum, page_ref.generation)
    for index in range(_page_count(reader)):
        ref, _resources = reader.find_page_for_modification(index)
        if (ref.idnum, ref.generation) == wanted:
            return index
    return None


def _page_count(reader: PdfFileReader) -> int:
    return int(reader.root["/Pages"]["/Count"])


def last_page_corner(pdf: bytes, size_mm: tuple[float, float], margin_mm: float = 12) -> Box:
    """A box in the bottom-right corner of the last page (a PDF that reserves no room: an upload)."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    last = _page_count(reader) - 1
    ref, _resources = reader.find_page_for_modification(last)
    page = ref.get_object()
    _x1, y1, x2, _y2 = (float(v) for v in page.get("/MediaBox", [0, 0, 595.28, 841.89]))
    width, height, margin = size_mm[0] * MM, size_mm[1] * MM, margin_mm * MM
    return Box(page=last, rect=(x2 - margin - width, y1 + margin, x2 - margin, y1 + margin + height))


# -- signing -----------------------------------------------------------------------------------------------


def _registry(credential: Credential) -> SimpleCertificateStore:
    return SimpleCertificateStore.from_certs([credential.certificate, *credential.chain])


def _metadata(*, reason: str, location: str, name: str) -> signers.PdfSignatureMetadata:
    return signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm=MD_ALGORITHM,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        name=name or None,
        # A time-stamp is validated against our roots, which the signer does not need to know.
        use_pades_lta=False,
    )


def _field_spec(box: Box | None, writer: IncrementalPdfFileWriter) -> fields.SigFieldSpec | None:
    if box is None:
        return None
    page = box.page if box.page >= 0 else _page_count(writer.prev) - 1
    x1, y1, x2, y2 = (round(v) for v in box.rect)
    return fields.SigFieldSpec(sig_field_name=FIELD_NAME, on_page=page, box=(x1, y1, x2, y2))


def _writer(pdf: bytes) -> IncrementalPdfFileWriter:
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as exc:
        raise SignatureFailed(f"Not a PDF that can be signed: {exc}") from exc
    if writer.prev.encrypted:
        raise SignatureFailed("The PDF is encrypted.")
    return writer


def _timestamper(url: str | None) -> timestamps.TimeStamper | None:
    return _http_timestamper(url) if url else None


@lru_cache(maxsize=8)
def _http_timestamper(url: str) -> timestamps.TimeStamper:
    # One per address and process: it keeps the placeholder token pyHanko sizes the signature with,
    # so each signature asks the authority once, not twice.
    return timestamps.HTTPTimeStamper(url, timeout=TSA_TIMEOUT)


def _field_name(writer: IncrementalPdfFileWriter) -> str:
    """A field name not used yet in the document (a PDF signed before keeps its signature)."""
    taken = {name for name, _value, _ref in fields.enumerate_sig_fields(writer.prev)}
    name, n = FIELD_NAME, 1
    while name in taken:
        n += 1
        name = f"{FIELD_NAME}{n}"
    return name


class _KeySigner(signers.Signer):
    """pyHanko's signer with a private key loaded once per signature. (pyHanko's SimpleSigner loads the
    key again for each raw signature, its size estimate included, and OpenSSL checks an RSA key's
    primes at each load: about 60 ms each. Our keys were checked when their PKCS#12 was imported.)"""

    def __init__(self, credential: Credential):
        assert credential.private_key is not None
        self._key = serialization.load_der_private_key(
            credential.private_key.dump(), password=None, unsafe_skip_rsa_key_validation=True
        )
        super().__init__(signing_cert=credential.certificate, cert_registry=_registry(credential))

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
        from pyhanko_certvalidator.util import get_pyca_cryptography_hash

        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if isinstance(self._key, rsa.RSAPrivateKey):
            if dry_run:  # the size estimate: a placeholder of the signature's length
                return bytes(self._key.key_size // 8)
            return self._key.sign(data, padding.PKCS1v15(), hash_algorithm)
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(hash_algorithm))
        raise SignatureFailed("Only RSA and ECDSA keys sign here.")


def sign(
    pdf: bytes,
    credential: Credential,
    *,
    box: Box | None = None,
    appearance: Appearance | None = None,
    timestamp_url: str | None = None,
    reason: str = "",
    location: str = "",
) -> bytes:
    """Sign ``pdf`` with ``credential`` (which must hold its private key): PAdES, SHA-256; B-T with a
    time-stamp from ``timestamp_url``, B-B without. Visible in ``box`` with ``appearance``."""
    if credential.private_key is None:
        raise SignatureFailed("No private key for this certificate.")
    signer = _KeySigner(credential)
    writer = _writer(pdf)
    name = _field_name(writer)
    meta = _metadata(reason=reason, location=location, name=credential.common_name)
    meta = _with_field(meta, name)
    spec = _field_spec(box, writer)
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        timestamper=_timestamper(timestamp_url),
        stamp_style=_stamp_style(appearance, box) if (box is not None and appearance is not None) else None,
        new_field_spec=_renamed(spec, name),
    )
    try:
        out = _run(pdf_signer.async_sign_pdf(writer))
    except SignatureFailed:
        raise
    except Exception as exc:  # pyHanko raises many kinds (SigningError, TSA HTTP errors, PDF errors)
        raise SignatureFailed(_explain(exc)) from exc
    return out.getvalue()


def _with_field(meta: signers.PdfSignatureMetadata, name: str) -> signers.PdfSignatureMetadata:
    from dataclasses import replace

    return replace(meta, field_name=name)


def _renamed(spec: fields.SigFieldSpec | None, name: str) -> fields.SigFieldSpec | None:
    if spec is None:
        return None
    from dataclasses import replace

    return replace(spec, sig_field_name=name)


def _explain(exc: Exception) -> str:
    name = type(exc).__name__
    if isinstance(exc, timestamps.TimestampRequestError) or "Timestamp" in name:
        return f"The time-stamp authority did not answer: {exc}"
    if isinstance(exc, SigningError):
        return f"Signing refused: {exc}"
    return f"{name}: {exc}"


def prepare_external(
    pdf: bytes,
    certificate: x509.Certificate,
    chain: tuple[x509.Certificate, ...],
    *,
    box: Box | None = None,
    appearance: Appearance | None = None,
    reason: str = "",
    location: str = "",
    signature_size: int = 256,
    timestamped: bool = True,
) -> Prepared:
    """Prepare ``pdf`` for a signature made elsewhere (pyHanko's interrupted signing): the document
    with its placeholder, and the signed attributes whose SHA-256 the remote signer signs.
    ``signature_size``: the signature value's length in bytes (256 for RSA-2048); ``timestamped``:
    room for a time-stamp token is reserved."""
    credential = Credential(certificate=certificate, chain=chain)
    external = signers.ExternalSigner(
        signing_cert=certificate, cert_registry=_registry(credential), signature_value=signature_size
    )
    writer = _writer(pdf)
    name = _field_name(writer)
    meta = _with_field(_metadata(reason=reason, location=location, name=credential.common_name), name)
    pdf_signer = signers.PdfSigner(
        meta,
        signer=external,
        stamp_style=_stamp_style(appearance, box) if (box is not None and appearance is not None) else None,
        new_field_spec=_renamed(_field_spec(box, writer), name),
    )

    async def run():
        # Room for the time-stamp token that finish_external adds (about 5 KB with its certificates).
        reserved = 32_768 if timestamped else None
        digest, tbs, output = await pdf_signer.async_digest_doc_for_signing(writer, bytes_reserved=reserved)
        attrs = await external.signed_attrs(digest.document_digest, MD_ALGORITHM, use_pades=True)
        return digest, tbs, output, attrs

    try:
        digest, _tbs, output, attrs = _run(run())
    except SignatureFailed:
        raise
    except Exception as exc:
        raise SignatureFailed(_explain(exc)) from exc
    output.seek(0)
    return Prepared(
        pdf=output.read(),
        document_digest=digest.document_digest,
        reserved_start=digest.reserved_region_start,
        reserved_end=digest.reserved_region_end,
        signed_attrs=attrs.dump(),
        certificate=certificate.dump(),
        chain=tuple(c.dump() for c in chain),
    )


def finish_external(prepared: Prepared, signature_value: bytes, *, timestamp_url: str | None = None) -> bytes:
    """Complete a prepared document with the remote signer's ``signature_value`` (RSA PKCS#1 v1.5
    over :attr:`Prepared.to_be_signed`), time-stamped from ``timestamp_url`` (B-T). Raises
    SignatureFailed when the value does not verify against the certificate."""
    certificate = x509.Certificate.load(prepared.certificate)
    chain = tuple(x509.Certificate.load(der) for der in prepared.chain)
    _check_signature_value(certificate, prepared.to_be_signed, signature_value)
    external = signers.ExternalSigner(
        signing_cert=certificate,
        cert_registry=_registry(Credential(certificate=certificate, chain=chain)),
        signature_value=signature_value,
    )
    attrs = cms.CMSAttributes.load(prepared.signed_attrs)
    digest = PreparedByteRangeDigest(
        document_digest=prepared.document_digest,
        reserved_region_start=prepared.reserved_start,
        reserved_region_end=prepared.reserved_end,
    )
    output = io.BytesIO(prepared.pdf)

    async def run():
        signature_cms = await external.async_sign_prescribed_attributes(
            MD_ALGORITHM, signed_attrs=attrs, timestamper=_timestamper(timestamp_url)
        )
        await PdfTBSDocument.async_finish_signing(output, prepared_digest=digest, signature_cms=signature_cms)

    try:
        _run(run())
    except Exception as exc:
        raise SignatureFailed(_explain(exc)) from exc
    return output.getvalue()


def _check_signature_value(certificate: x509.Certificate, digest: bytes, value: bytes) -> None:
    from cryptography import x509 as cx509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

    public_key = cx509.load_der_x509_certificate(certificate.dump()).public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise SignatureFailed("Remote signatures are RSA PKCS#1 v1.5 (the services' only scheme).")
    try:
        public_key.verify(value, digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
    except (InvalidSignature, TypeError, ValueError) as exc:
        raise SignatureFailed("The remote signature does not match the certificate.") from exc


def prepared_to_json(prepared: Prepared) -> dict:
    """What to store of a :class:`Prepared` besides its PDF."""
    return {
        "document_digest": prepared.document_digest.hex(),
        "reserved_start": prepared.reserved_start,
        "reserved_end": prepared.reserved_end,
        "signed_attrs": base64.b64encode(prepared.signed_attrs).decode(),
        "certificate": base64.b64encode(prepared.certificate).decode(),
        "chain": [base64.b64encode(der).decode() for der in prepared.chain],
    }


def prepared_from_json(pdf: bytes, data: dict) -> Prepared:
    return Prepared(
        pdf=pdf,
        document_digest=bytes.fromhex(data["document_digest"]),
        reserved_start=int(data["reserved_start"]),
        reserved_end=int(data["reserved_end"]),
        signed_attrs=base64.b64decode(data["signed_attrs"]),
        certificate=base64.b64decode(data["certificate"]),
        chain=tuple(base64.b64decode(der) for der in data["chain"]),
    )


# -- verification ------------------------------------------------------------------------------------------


def verify(pdf: bytes, trust_roots: list[x509.Certificate]) -> list[SignatureReport]:
    """Every signature of ``pdf``, verified against ``trust_roots``. Raises SignatureFailed when the
    bytes are not a PDF that can be read."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except Exception as exc:
        raise SignatureFailed(f"Not a readable PDF: {exc}") from exc
    return [_report(signature, trust_roots) for signature in embedded]


def _context(trust_roots: list[x509.Certificate]) -> ValidationContext:
    return ValidationContext(trust_roots=trust_roots, allow_fetching=False, revocation_mode="soft-fail")


def _report(embedded, trust_roots: list[x509.Certificate]) -> SignatureReport:
    certificate = embedded.signer_cert
    report = SignatureReport(
        field_name=str(embedded.field_name),
        intact=False,
        trusted=False,
        signer=common_name(certificate) if certificate is not None else "",
        signed_at=embedded.self_reported_timestamp,
        timestamped=False,
        covers_whole_document=False,
        certificate_serial=certificate.serial_number if certificate is not None else None,
        certificate_sha256=hashlib.sha256(certificate.dump()).hexdigest() if certificate is not None else "",
    )

    async def run():
        return await async_validate_pdf_signature(
            embedded,
            signer_validation_context=_context(trust_roots),
            ts_validation_context=_context(trust_roots),
        )

    try:
        status = _run(run())
    except Exception as exc:  # a corrupted container, an unknown algorithm...
        report.problem = f"{type(exc).__name__}: {exc}"
        return report
    report.intact = bool(status.intact and status.valid)
    report.covers_whole_document = status.coverage is not None and status.coverage.name in (
        "ENTIRE_FILE",
        "ENTIRE_REVISION",
    )
    report.trusted = bool(status.trusted and status.revoked is False)
    if status.validation_path is not None:
        report.chain = [common_name(c) for c in status.validation_path.iter_certs(include_root=True)]
    if status.timestamp_validity is not None:
        report.signed_at = status.timestamp_validity.timestamp
        report.timestamped = True
        if not (status.timestamp_validity.intact and status.timestamp_validity.valid):
            report.intact = False
            report.problem = "The time-stamp does not match the signature."
    if status.signer_reported_dt is not None and status.timestamp_validity is None:
        report.signed_at = status.signer_reported_dt
    if not report.intact and not report.problem:
        report.problem = "The document was changed after it was signed, or the signature is damaged."
    elif report.intact and not report.trusted and not report.problem:
        report.problem = str(status.trust_problem_indic or "The signer's certificate is not trusted.")
    return report
