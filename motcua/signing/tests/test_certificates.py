"""Certificates come as PKCS#12 files (uploaded in the admin) with the private key kept encrypted; an
expired, not yet valid or revoked certificate is refused, and never signs."""

import datetime

import pytest

from motcua.dossiers.constants import SignatureState
from motcua.signing import keystore, selectors, services, signers, testca
from motcua.signing.tests.factories import PASSWORD, approved, certificate_for, days, p12


def test_a_pkcs12_is_imported_with_its_key_encrypted_at_rest(office, signing):
    issued = testca.issue(signing.root, "Phạm Thị Dung", organization="Sở Tư pháp")
    certificate = services.import_pkcs12(
        testca.pkcs12_bytes(issued, [signing.root], PASSWORD), PASSWORD, user=office.leader
    )

    assert certificate.subject == "Phạm Thị Dung" and certificate.issuer == testca.ROOT_NAME
    assert certificate.provider == "local" and len(certificate.chain) == 1
    stored = bytes(certificate.encrypted_key)
    assert issued.key_der not in stored and issued.key_der[:64] not in stored  # not in clear
    assert keystore.decrypt_key(stored) == issued.key_der
    assert signers.credential(certificate).private_key.dump() == issued.key_der
    assert selectors.usable_certificate(user=office.leader) == certificate


def test_a_changed_signing_key_cannot_read_the_stored_keys(office, signing, settings):
    certificate = certificate_for(signing, user=office.leader)
    settings.MOTCUA_SIGNING_KEY = "another-key-than-the-one-it-was-stored-with"
    with pytest.raises(keystore.KeystoreError):
        signers.credential(certificate)


def test_an_expired_certificate_is_refused(office, signing):
    expired = p12(signing, "Hết hạn", valid_from=days(-800), valid_to=days(-1))
    with pytest.raises(services.CertificateRefused, match="đã hết hạn ngày") as caught:
        services.import_pkcs12(expired, PASSWORD, user=office.leader)
    assert caught.value.field == "pkcs12"


def test_a_certificate_not_yet_valid_is_refused(office, signing):
    future = p12(signing, "Chưa hiệu lực", valid_from=days(3), valid_to=days(400))
    with pytest.raises(services.CertificateRefused, match="chưa có hiệu lực"):
        services.import_pkcs12(future, PASSWORD, user=office.leader)


@pytest.mark.parametrize(
    ("data", "password", "field"),
    [
        (None, "sai-mat-khau", "password"),  # the right file, the wrong password
        (b"not a pkcs12 file", PASSWORD, "password"),
    ],
)
def test_a_wrong_password_or_file_is_refused_on_its_field(office, signing, data, password, field):
    with pytest.raises(services.CertificateRefused, match="PKCS#12") as caught:
        services.import_pkcs12(data or p12(signing), password, user=office.leader)
    assert caught.value.field == field


def test_a_certificate_belongs_to_a_person_or_an_agency(office, signing):
    with pytest.raises(services.CertificateRefused):
        services.import_pkcs12(p12(signing), PASSWORD)
    with pytest.raises(services.CertificateRefused):
        services.import_pkcs12(p12(signing), PASSWORD, user=office.leader, agency=office.agency)


def test_an_expired_certificate_cannot_sign(office, signing, django_capture_on_commit_callbacks):
    # Added while it was valid; it expired yesterday.
    certificate_for(signing, user=office.leader, valid_from=days(-400), valid_to=days(-1), added_at=days(-30))
    with django_capture_on_commit_callbacks(execute=True):
        dossier = approved(office)
    [result] = selectors.current_results(dossier)

    assert result.signature_state == SignatureState.NO_CERTIFICATE
    assert "đã hết hạn ngày" in result.signature_note
    assert selectors.usable_certificate(user=office.leader) is None


def test_a_revoked_certificate_cannot_sign_nor_come_back(office, signing, django_capture_on_commit_callbacks):
    issued = testca.issue(signing.root, office.leader.full_name)
    data = testca.pkcs12_bytes(issued, [signing.root], PASSWORD)
    certificate = services.import_pkcs12(data, PASSWORD, user=office.leader)
    services.revoke(certificate, actor=None, reason="Lộ khóa bí mật")
    assert selectors.refusal(certificate) is not None and "thu hồi" in selectors.refusal(certificate)

    with django_capture_on_commit_callbacks(execute=True):
        dossier = approved(office)
    [result] = selectors.current_results(dossier)
    assert result.signature_state == SignatureState.NO_CERTIFICATE and "thu hồi" in result.signature_note
    with pytest.raises(services.CertificateRefused, match="đã bị thu hồi"):
        services.import_pkcs12(data, PASSWORD, user=office.leader)


def test_the_most_recent_usable_certificate_signs(office, signing):
    old = certificate_for(signing, user=office.leader, added_at=days(-10))
    new = certificate_for(signing, user=office.leader)
    assert selectors.usable_certificate(user=office.leader) == new
    services.revoke(new, actor=None)
    assert selectors.usable_certificate(user=office.leader) == old
    assert (
        selectors.usable_certificate(user=office.leader, now=old.valid_to + datetime.timedelta(seconds=1))
        is None
    )


def test_the_seal_must_be_a_png(office, signing):
    services.set_seal(office.agency, testca.seal_png("Sở Tư pháp"))
    assert selectors.seal_image(office.agency).startswith(b"\x89PNG")
    for bad in (b"", b"GIF89a....", b"\x89PNG\r\n\x1a\nbroken"):
        with pytest.raises(services.CertificateRefused, match="PNG"):
            services.set_seal(office.agency, bad)
