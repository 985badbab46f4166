"""Certificates are added and revoked in the admin; the staff's dossier page shows where the result's
signature stands and lets them ask for it again."""

import io

from django.test import Client

from motcua.accounts.tests.factories import StaffFactory
from motcua.dossiers.constants import SignatureState
from motcua.signing import selectors
from motcua.signing.models import Certificate
from motcua.signing.tests.factories import PASSWORD, approved, certificate_for, days, p12


def _administrator() -> Client:
    admin = StaffFactory(full_name="Quản trị", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    return client


def _p12_upload(data: bytes) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = "lanh-dao.p12"
    return upload


def test_an_administrator_uploads_a_pkcs12_and_revokes_it(office, signing):
    client = _administrator()
    added = client.post(
        "/quan-tri/signing/certificate/add/",
        {
            "user": office.leader.pk,
            "provider": "local",
            "pkcs12": _p12_upload(p12(signing, "Lãnh đạo")),
            "password": PASSWORD,
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    certificate = Certificate.objects.get(user=office.leader)
    assert certificate.subject == "Lãnh đạo" and certificate.encrypted_key

    listing = client.get("/quan-tri/signing/certificate/").content.decode()
    assert "Lãnh đạo" in listing
    client.post(
        "/quan-tri/signing/certificate/",
        {"action": "revoke_selected", "_selected_action": [certificate.pk]},
    )
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and selectors.usable_certificate(user=office.leader) is None


def test_the_admin_refuses_an_expired_certificate_and_a_wrong_password_on_their_fields(office, signing):
    client = _administrator()
    expired = client.post(
        "/quan-tri/signing/certificate/add/",
        {
            "user": office.leader.pk,
            "provider": "local",
            "pkcs12": _p12_upload(p12(signing, valid_from=days(-900), valid_to=days(-2))),
            "password": PASSWORD,
        },
    )
    assert expired.status_code == 200 and "đã hết hạn ngày" in expired.content.decode()
    wrong = client.post(
        "/quan-tri/signing/certificate/add/",
        {
            "user": office.leader.pk,
            "provider": "local",
            "pkcs12": _p12_upload(p12(signing)),
            "password": "sai",
        },
    )
    assert wrong.status_code == 200 and "Sai mật khẩu" in wrong.content.decode()
    assert not Certificate.objects.exists()


def test_the_staff_page_says_why_the_result_waits_and_signs_it_when_asked(
    office, signing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = approved(office)  # the leader has no certificate yet
    client = Client()
    client.force_login(office.reception)
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "Chữ ký số của kết quả" in page and "chưa có chứng thư số" in page
    assert "Kết quả chưa được ký số." in page  # the return is offered disabled, with the reason
    assert "Ký số kết quả" in page

    certificate_for(signing, user=office.leader)  # added outside the admin: nothing retried it yet
    answer = client.post(f"/can-bo/ky-so/{dossier.code}/")
    assert answer.status_code == 302
    [result] = selectors.current_results(dossier)
    assert result.signature_state == SignatureState.SIGNED
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert f"Đã ký số: {office.leader.full_name}" in page and "Ký số kết quả" not in page


def test_only_staff_who_see_the_dossier_may_ask_for_its_signature(
    office, signing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = approved(office)
    outsider = Client()
    outsider.force_login(office.outsider)
    assert outsider.post(f"/can-bo/ky-so/{dossier.code}/").status_code == 404
    citizen = Client()
    citizen.force_login(office.citizen)
    assert citizen.post(f"/can-bo/ky-so/{dossier.code}/").status_code in (302, 403)
    [result] = selectors.current_results(dossier)
    assert result.signature_state == SignatureState.NO_CERTIFICATE
