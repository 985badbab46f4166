"""A local time-stamping authority: RFC 3161 over HTTP (RFC 3161 §3.4), for the demo and the tests.

``POST /`` with ``Content-Type: application/timestamp-query`` and a DER ``TimeStampReq`` answers
``application/timestamp-reply`` with a ``TimeStampResp`` whose token is signed by the TSA's
certificate (issued by the test CA, motcua.signing.testca). The token is made by pyHanko's
``DummyTimeStamper``, which builds and signs a real RFC 3161 token with the key it is given; this
module puts it behind HTTP, in its own process (``manage.py signing_tsa``), as a provider's TSA is.
A deployment points ``MOTCUA_SIGNING_TSA_URL`` at its provider's TSA instead.
"""

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from asn1crypto import cms, core, keys, tsp, x509
from pyhanko.sign.timestamps import DummyTimeStamper

from motcua.signing.pades import load_certificate

logger = logging.getLogger(__name__)

QUERY_TYPE = "application/timestamp-query"
REPLY_TYPE = "application/timestamp-reply"
MAX_QUERY = 16 * 1024


class _Stamper(DummyTimeStamper):
    """DummyTimeStamper with its RSA key loaded once: pyHanko's loads it again for every token, and
    OpenSSL checks an RSA key's primes at each load (about 60 ms, most of a token's cost)."""

    def __init__(self, *args, key, **kwargs):
        super().__init__(*args, **kwargs)
        self._key = key

    def _sign_tst_info(self, tst_info_data: bytes, md_algorithm: str, dt):
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
        from pyhanko.sign import general
        from pyhanko.sign.general import simple_cms_attribute
        from pyhanko_certvalidator.util import get_pyca_cryptography_hash

        digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes(
            [
                simple_cms_attribute("content_type", "tst_info"),
                simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                simple_cms_attribute("signing_certificate", general.as_signing_certificate(self.tsa_cert)),
                simple_cms_attribute("message_digest", digest.finalize()),
            ]
        )
        signature = self._key.sign(
            signed_attrs.dump(), PKCS1v15(), get_pyca_cryptography_hash(md_algorithm.upper())
        )
        return signature, signed_attrs


def load_stamper(cert_pem: Path, key_pem: Path, chain: Iterable[Path] = ()) -> DummyTimeStamper:
    from cryptography.hazmat.primitives import serialization

    certificate = load_certificate(cert_pem.read_bytes())
    key = serialization.load_pem_private_key(key_pem.read_bytes(), password=None)
    key_info = keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    embedded: list[x509.Certificate] = [load_certificate(path.read_bytes()) for path in chain]
    return _Stamper(tsa_cert=certificate, tsa_key=key_info, certs_to_embed=embedded, key=key)  # type: ignore[arg-type]


def application(stamper: DummyTimeStamper) -> Callable:
    """The WSGI application answering time-stamp queries with ``stamper``."""

    def app(environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST":
            start_response("405 Method Not Allowed", [("Allow", "POST"), ("Content-Type", "text/plain")])
            return [b"POST an RFC 3161 TimeStampReq (application/timestamp-query).\n"]
        if environ.get("CONTENT_TYPE", "").split(";")[0].strip() != QUERY_TYPE:
            start_response("415 Unsupported Media Type", [("Content-Type", "text/plain")])
            return [b"Content-Type must be application/timestamp-query.\n"]
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if not 0 < length <= MAX_QUERY:
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"Empty or too large query.\n"]
        body = environ["wsgi.input"].read(length)
        try:
            request = tsp.TimeStampReq.load(body)
            request.native  # parse it all now: a malformed query is a 400, not a 500  # noqa: B018
            response = stamper.request_tsa_response(request)
        except (ValueError, TypeError, KeyError) as exc:
            logger.info("refused a malformed time-stamp query: %s", exc)
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"Malformed TimeStampReq.\n"]
        reply = response.dump()
        start_response("200 OK", [("Content-Type", REPLY_TYPE), ("Content-Length", str(len(reply)))])
        return [reply]

    return app
