"""The local time-stamp authority speaks RFC 3161 over HTTP, in its own process."""

import hashlib
import urllib.error
import urllib.request

import pytest
from asn1crypto import algos, tsp

from motcua.signing import pades


def _post(url: str, body: bytes, content_type: str = "application/timestamp-query"):
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    return urllib.request.urlopen(request, timeout=10)


def test_the_tsa_answers_a_query_with_a_token_for_that_digest(tsa_server, signing_material):
    digest = hashlib.sha256(b"hello").digest()
    query = tsp.TimeStampReq(
        {
            "version": 1,
            "message_imprint": {
                "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                "hashed_message": digest,
            },
            "nonce": 12345,
            "cert_req": True,
        }
    )
    with _post(tsa_server.url, query.dump()) as answer:
        assert answer.headers["Content-Type"] == "application/timestamp-reply"
        response = tsp.TimeStampResp.load(answer.read())
    assert response["status"]["status"].native == "granted"
    signed_data = response["time_stamp_token"]["content"]
    info = signed_data["encap_content_info"]["content"].parsed
    assert info["message_imprint"]["hashed_message"].native == digest and info["nonce"].native == 12345
    signer = [
        c.chosen
        for c in signed_data["certificates"]
        if c.chosen.subject.native["common_name"].endswith("TSA (demo)")
    ]
    assert signer and signer[0].issuer == pades.load_certificate(signing_material.root.der).subject


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [(b"\x30\x03\x02\x01\x01", "text/plain", 415), (b"garbage", "application/timestamp-query", 400)],
)
def test_the_tsa_refuses_what_is_not_a_query(tsa_server, body, content_type, status):
    with pytest.raises(urllib.error.HTTPError) as caught:
        _post(tsa_server.url, body, content_type)
    assert caught.value.code == status
    with pytest.raises(urllib.error.HTTPError) as get:
        urllib.request.urlopen(tsa_server.url, timeout=10)
    assert get.value.code == 405
