"""Remote signing in the shape of VNPT SmartCA, against its stand-in running as its own process: the
hash goes out on approval, the leader confirms (or refuses) on the stand-in's page as on their phone,
polling completes the PDF (pyHanko's interrupted signing, time-stamped then)."""

import urllib.request

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, utils

from motcua.dossiers.constants import SignatureState
from motcua.signing import conf, pades, selectors, services, smartca, testca
from motcua.signing.constants import Provider, RequestState
from motcua.signing.tests.factories import approved
from motcua.signing.tests.fixtures import REMOTE_USER


@pytest.fixture
def remote_leader(office, remote_signing):
    return services.add_remote_certificate(user=office.leader, remote_user_id=REMOTE_USER)


def _answer_on_the_phone(base_url: str, transaction_id: str, verb: str) -> str:
    """The signer opens the request on the stand-in's page and presses a button (a plain form POST)."""
    page = urllib.request.urlopen(f"{base_url}giao-dich/{transaction_id}", timeout=10).read().decode()
    assert "Xác nhận ký" in page and "Từ chối" in page
    request = urllib.request.Request(f"{base_url}giao-dich/{transaction_id}/{verb}", data=b"", method="POST")
    return urllib.request.urlopen(request, timeout=10).read().decode()  # follows the 303 to the page


def _waiting(office, capture):
    with capture(execute=True):
        dossier = approved(office)
    [result] = selectors.current_results(dossier)
    request = selectors.waiting_request(result)
    assert request is not None
    return dossier, result, request


def test_the_remote_certificate_comes_from_the_service(office, remote_leader, signing):
    assert remote_leader.provider == Provider.SMARTCA and remote_leader.remote_user_id == REMOTE_USER
    assert remote_leader.encrypted_key is None  # the key stays with the service
    assert remote_leader.subject == "Lãnh Đạo Từ Xa" and remote_leader.remote_credential_id
    assert selectors.usable_certificate(user=office.leader) == remote_leader


def test_the_leader_confirms_on_the_remote_signer_and_the_result_is_signed(
    office, remote_leader, remote_signing, django_capture_on_commit_callbacks
):
    _dossier, result, request = _waiting(office, django_capture_on_commit_callbacks)
    result.refresh_from_db()
    assert result.signature_state == SignatureState.AWAITING_SIGNER
    assert (
        office.leader.full_name in result.signature_note
        and request.provider_reference in result.signature_note
    )
    assert services.poll_request(request) == RequestState.WAITING  # not confirmed yet

    page = _answer_on_the_phone(remote_signing.url, request.transaction_id, "xac-nhan")
    assert "Đã ký" in page
    assert services.poll_request(request) == RequestState.SIGNED

    result.refresh_from_db()
    assert result.signature_state == SignatureState.SIGNED and result.signed_by == office.leader.full_name
    with result.file.open("rb") as handle:
        [report] = pades.verify(handle.read(), conf.trust_roots())
    assert report.intact and report.trusted and report.timestamped and report.covers_whole_document
    assert report.signer == "Lãnh Đạo Từ Xa"  # the certificate the service holds


def test_a_refusal_leaves_the_result_unsigned_with_the_reason_and_it_can_be_asked_again(
    office, remote_leader, remote_signing, django_capture_on_commit_callbacks
):
    dossier, result, request = _waiting(office, django_capture_on_commit_callbacks)

    _answer_on_the_phone(remote_signing.url, request.transaction_id, "tu-choi")
    assert services.poll_request(request) == RequestState.REFUSED
    result.refresh_from_db()
    assert result.signature_state == SignatureState.FAILED and "từ chối" in result.signature_note

    # Asked again: a new request goes out; confirmed this time.
    assert services.request_result_signature(dossier, actor=office.leader) == [SignatureState.AWAITING_SIGNER]
    again = selectors.waiting_request(result)
    assert again is not None and again.pk != request.pk
    _answer_on_the_phone(remote_signing.url, again.transaction_id, "xac-nhan")
    assert services.request_result_signature(dossier, actor=office.leader) == [SignatureState.SIGNED]


def test_a_request_nobody_answers_times_out(office, remote_leader, django_capture_on_commit_callbacks):
    _dossier, result, request = _waiting(office, django_capture_on_commit_callbacks)
    import datetime

    # The clock passed the expiry the service announced (the stand-in still shows it waiting).
    later = request.expires_at + datetime.timedelta(seconds=1)
    assert services.poll_request(request, now=later) == RequestState.EXPIRED
    result.refresh_from_db()
    assert result.signature_state == SignatureState.FAILED and "hết hạn" in result.signature_note


def test_the_service_refuses_wrong_credentials_an_unknown_signer_and_a_bad_hash(remote_signing):
    wrong = smartca.Client(remote_signing.url, "motcua-demo", "sai-mat-khau")
    with pytest.raises(smartca.SmartCAError, match="sp_password"):
        wrong.get_certificates(REMOTE_USER, transaction_id="t1")
    client = smartca.Client(remote_signing.url, *conf.remote_credentials())
    with pytest.raises(smartca.SmartCAError, match="Không tìm thấy người dùng"):
        client.get_certificates("nobody", transaction_id="t2")
    with pytest.raises(smartca.SmartCAError, match="SHA-256"):
        client.sign_hash(
            user_id=REMOTE_USER,
            serial_number="",
            transaction_id="t3",
            description="",
            digest=b"short",
            doc_id="x",
        )
    started = client.sign_hash(
        user_id=REMOTE_USER,
        serial_number="",
        transaction_id="t4",
        description="Thử",
        digest=b"\x01" * 32,
        doc_id="x",
    )
    assert started.transaction_id == "t4" and started.expires_in == 600
    assert client.status("t4").state == smartca.PENDING


def test_a_signature_value_that_does_not_match_the_certificate_is_refused(signing):
    from motcua.signing.tests.test_signed_result import _read_fixture_pdf

    signer = testca.issue(signing.root, "Người ký")
    impostor = testca.issue(signing.root, "Kẻ mạo danh")
    prepared = pades.prepare_external(
        _read_fixture_pdf(), pades.load_certificate(signer.der), (pades.load_certificate(signing.root.der),)
    )
    forged = impostor.key.sign(prepared.to_be_signed, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
    with pytest.raises(pades.SignatureFailed, match="does not match"):
        pades.finish_external(prepared, forged)
    genuine = signer.key.sign(prepared.to_be_signed, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
    [report] = pades.verify(pades.finish_external(prepared, genuine), conf.trust_roots())
    assert report.intact and report.trusted and not report.timestamped  # B-B without a TSA
