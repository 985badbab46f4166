"""XML-DSig of edXML packages (signxml): an enveloped signature in ``edXMLHeader/ds:Signature``,
RSA-SHA256 over the exclusive canonical form of the whole package (attachments included), with the
signer's certificate in KeyInfo.

Who signs: the sending agency, with its own certificate (the ``local`` certificate of the agency in
motcua.signing, the one that seals its notices). Who is trusted: for each peer, the certificate its
administrator configured (``Peer.certificate_pem``). A package verifies only against that certificate:
the certificate carried in KeyInfo is informative and never trusted on its own. This module is pure.
"""

from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from lxml import etree
from signxml import InvalidInput, InvalidSignature, SignatureConfiguration, XMLSigner, XMLVerifier, methods
from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureMethod

from motcua.exchange import edxml

C14N = CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0


class BadSignature(ValueError):
    """No signature, or one that does not verify against the peer's certificate."""


@dataclass(frozen=True)
class SigningKey:
    """A private key (PEM or a cryptography key) and the certificate chain (PEM, the signer's first)."""

    key: str | bytes | RSAPrivateKey
    certificates: tuple[bytes, ...]


def _signer() -> XMLSigner:
    return XMLSigner(
        method=methods.enveloped,
        signature_algorithm=SignatureMethod.RSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=C14N,
    )


def sign(root: etree._Element, key: SigningKey) -> bytes:
    """The bytes of ``root`` signed (the tree carries the placeholder ``edxml.build_*`` put in
    edXMLHeader; signxml puts the signature there)."""
    signed = _signer().sign(root, key=key.key, cert=[c.decode() for c in key.certificates])
    return edxml.serialize(signed)


def _configuration() -> SignatureConfiguration:
    return SignatureConfiguration(
        require_x509=False,
        location=".//",
        signature_methods=frozenset({SignatureMethod.RSA_SHA256}),
        digest_algorithms=frozenset({DigestAlgorithm.SHA256}),
        expect_references=1,
        # The certificate in KeyInfo is the sender's claim; the peer's configured one decides.
        ignore_ambiguous_key_info=True,
    )


def verify(data: bytes | etree._Element, certificate_pem: str | bytes) -> etree._Element:
    """The package as signed, when its signature verifies against ``certificate_pem``; BadSignature
    otherwise. Only what the signature covers is returned: the whole document (Reference URI="")."""
    root = edxml.read_xml(data) if isinstance(data, bytes) else data
    signature = root.find(f"{{{edxml.NS}}}edXMLEnvelope/{{{edxml.NS}}}edXMLHeader/{{{edxml.DS}}}Signature")
    if signature is None:
        raise BadSignature("The package has no signature (edXMLHeader/Signature).")
    if len(root.findall(f".//{{{edxml.DS}}}Signature")) != 1:
        raise BadSignature("The package must carry exactly one signature.")
    reference = signature.find(f"{{{edxml.DS}}}SignedInfo/{{{edxml.DS}}}Reference")
    if reference is None or reference.get("URI", None) != "":
        raise BadSignature('The signature must cover the whole package (Reference URI="").')
    pem = certificate_pem.decode() if isinstance(certificate_pem, bytes) else certificate_pem
    try:
        result = XMLVerifier().verify(root, x509_cert=pem, expect_config=_configuration())
    except (InvalidSignature, InvalidInput) as exc:
        raise BadSignature(f"The signature does not verify: {exc}") from None
    signed = result.signed_xml  # type: ignore[union-attr]
    if signed is None or signed.tag != f"{{{edxml.NS}}}edXML":
        raise BadSignature("The signature does not cover the edXML package.")
    return signed


def certificate_pem(der: bytes) -> bytes:
    return x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)


def check_certificate_pem(pem: str) -> x509.Certificate:
    """The certificate of a PEM text (a peer's, typed in the admin); ValueError when it is not one."""
    try:
        return x509.load_pem_x509_certificate(pem.strip().encode())
    except ValueError:
        raise ValueError("not a PEM certificate") from None
