"""The public verification: the page a document's QR code opens, the page to upload a PDF, POST
/api/verify; and GET /api/dossiers/{code}/documents."""

import hashlib
import io

import pytest
from django.test import Client
from django.urls import reverse

from motcua.accounts.services import issue_token
from motcua.dossiers import documents
from motcua.signing import selectors, services, testca
from motcua.signing.tests.factories import approved, certificate_for
from motcua.signing.tests.test_signed_result import _flip_a_signed_byte, _read, _read_fixture_pdf


@pytest.fixture
def issued(office, signing, django_capture_on_commit_callbacks):
    """A ready dossier whose result the leader signed."""
    certificate_for(signing, user=office.leader)
    certificate_for(signing, agency=office.agency)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = approved(office)
    [result] = selectors.current_results(dossier)
    return dossier, result, _read(result)


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_token(user)[0]}"})


def _upload(client: Client, url: str, data: bytes, name: str = "ket-qua.pdf"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(url, {"file": upload})


def test_the_qr_code_opens_the_documents_verification_page_which_says_valid(issued, client):
    dossier, result, _data = issued
    printed = result.snapshot["context"]["verify_url"]
    path = reverse("portal:verify_code", args=[result.verification_code])
    assert printed == documents.verification_url(result.verification_code) and printed.endswith(path)

    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Chữ ký số hợp lệ" in html and dossier.code in html
    assert result.signed_by in html  # the signer's name
    assert "Còn nguyên vẹn" in html and "theo dấu thời gian" in html
    assert dossier.applicant_name not in html  # nothing personal


def test_a_copy_uploaded_on_the_documents_page_is_compared_with_what_was_issued(issued, client):
    _dossier, result, data = issued
    path = reverse("portal:verify_code", args=[result.verification_code])

    same = _upload(client, path, data).content.decode()
    assert "Tệp này đúng là văn bản có mã xác thực trên" in same
    other = _upload(client, path, _flip_a_signed_byte(data)).content.decode()
    assert "Tệp này không phải là văn bản có mã xác thực trên" in other and "Đã bị thay đổi" in other


def test_an_unknown_code_is_a_404_page(db, client):
    page = client.get(reverse("portal:verify_code", args=["KHONGCOMAXACTHUC"]))
    assert page.status_code == 404 and "Không tìm thấy văn bản" in page.content.decode()


def test_uploading_a_pdf_on_the_verification_page(issued, client):
    _dossier, _result, data = issued
    page = _upload(client, reverse("portal:verify"), data).content.decode()
    assert "Chữ ký số hợp lệ" in page and "Kết quả giải quyết" in page  # registered: a result we issued

    tampered = _upload(client, reverse("portal:verify"), _flip_a_signed_byte(data)).content.decode()
    assert "Chữ ký số không hợp lệ" in tampered and "Tệp đã bị thay đổi sau khi ký" in tampered

    refused = _upload(client, reverse("portal:verify"), b"GIF89a not a pdf", name="anh.gif")
    assert refused.status_code == 400 and "Tệp không phải là tệp PDF" in refused.content.decode()
    missing = client.post(reverse("portal:verify"), {})
    assert missing.status_code == 400 and "Chọn tệp PDF" in missing.content.decode()


def test_api_verify_says_intact_trusted_signer_time_and_registered(issued, client):
    _dossier, result, data = issued
    answer = _upload(client, "/api/verify", data)
    body = answer.json()
    assert answer.status_code == 200
    assert body["intact"] and body["trusted"] and body["valid"] and body["registered"]
    assert body["signer"] == result.signed_by and body["signed_at"] and body["timestamped"]
    assert body["sha256"] == hashlib.sha256(data).hexdigest() == result.sha256
    assert body["document"]["kind"] == "result" and body["document"]["dossier_code"] == result.dossier.code

    tampered = _upload(client, "/api/verify", _flip_a_signed_byte(data)).json()
    assert not tampered["intact"] and not tampered["valid"] and not tampered["registered"]


def test_api_verify_of_a_pdf_we_did_not_issue_or_sign(db, signing, client):
    unsigned = _upload(client, "/api/verify", _read_fixture_pdf()).json()
    assert unsigned["signed"] is False and unsigned["intact"] is False and unsigned["registered"] is False
    assert unsigned["signer"] is None and unsigned["problems"]

    stranger_root = testca.make_root("Another CA")
    stranger = testca.issue(stranger_root, "Người lạ")
    from motcua.signing import pades

    foreign = pades.sign(
        _read_fixture_pdf(),
        pades.Credential(
            pades.load_certificate(stranger.der),
            (pades.load_certificate(stranger_root.der),),
            pades.load_private_key(stranger.key_der),
        ),
    )
    body = _upload(client, "/api/verify", foreign).json()
    assert body["intact"] and not body["trusted"] and body["signer"] == "Người lạ" and not body["registered"]


def test_api_verify_refuses_what_is_not_a_pdf_on_the_file_field(db, client):
    answer = _upload(client, "/api/verify", b"\x89PNG\r\n\x1a\n....", name="x.png")
    assert answer.status_code == 422 and answer.json()["errors"]["file"]
    assert client.post("/api/verify", {}).status_code == 422


def test_api_verify_is_limited_per_address(db, client, settings):
    settings.MOTCUA_VERIFY_RATE = "2/h"
    codes = [_upload(client, "/api/verify", b"%PDF-1.4 broken").status_code for _ in range(3)]
    assert codes[:2] == [200, 200] and codes[2] == 429


def test_a_revoked_signer_is_not_trusted_any_more(issued, client, office):
    _dossier, _result, data = issued
    services.revoke(selectors.usable_certificate(user=office.leader), actor=None, reason="Lộ khóa")
    body = _upload(client, "/api/verify", data).json()
    # Revoked after it signed: the signature stays valid (the time-stamp proves when it was made).
    assert body["intact"] and body["trusted"] and not body["revoked"]


def test_the_dossiers_documents_with_kind_sha256_signed_and_url(issued, office):
    dossier, result, data = issued
    answer = _api(office.citizen).get(f"/api/dossiers/{dossier.code}/documents")
    assert answer.status_code == 200
    listed = {d["kind"]: d for d in answer.json()}
    assert set(listed) == {"receipt", "result"}
    assert listed["result"]["sha256"] == hashlib.sha256(data).hexdigest() and listed["result"]["signed"]
    assert listed["result"]["signer"] == office.leader.full_name
    assert listed["receipt"]["signed"] and listed["receipt"]["name"].endswith(".pdf")
    assert listed["result"]["verify_url"] == documents.verification_url(result.verification_code)
    download = _api(office.citizen).get(listed["result"]["url"].replace("http://testserver", ""))
    assert download.status_code == 200 and b"".join(download.streaming_content) == data

    assert _api(office.stranger).get(f"/api/dossiers/{dossier.code}/documents").status_code == 404
    assert Client().get(f"/api/dossiers/{dossier.code}/documents").status_code == 401


def test_the_verification_page_in_english(issued, client):
    _dossier, result, _data = issued
    html = client.get(f"/en/xac-thuc/{result.verification_code}").content.decode()
    assert "Valid digital signature" in html and "Verification code" in html and "Intact" in html
