"""The demo's remote-only leader (the ward's vice-chair) gets the certificate the remote-signing
stand-in holds for them, and no key kept here; the stand-in serves the same certificate."""

from motcua.accounts.constants import Role
from motcua.accounts.services import grant_role
from motcua.accounts.tests.factories import StaffFactory
from motcua.agencies.tests.factories import AgencyFactory
from motcua.signing import conf, demo, selectors, smartca
from motcua.signing.constants import Provider


def test_the_remote_only_demo_leader_gets_the_stand_ins_certificate(db, signing, remote_signing):
    [username] = demo.REMOTE_ONLY_DEMO_USERS
    user = StaffFactory(username=username, full_name="Vũ Minh Hải")
    grant_role(user, AgencyFactory(), Role.LEADER)

    counts = demo.ensure_certificates(signing)
    certificate = selectors.usable_certificate(user=user)
    assert counts["remote"] >= 1 and certificate is not None
    assert certificate.provider == Provider.SMARTCA and certificate.encrypted_key is None
    assert certificate.remote_user_id == username and certificate.subject == "Vũ Minh Hải"

    [served] = smartca.Client(remote_signing.url, *conf.remote_credentials()).get_certificates(
        username, transaction_id="demo-check"
    )
    assert bytes(certificate.certificate_der) == served.certificate
    assert certificate.remote_credential_id == served.cert_id

    demo.ensure_certificates(signing)  # idempotent
    assert user.signing_certificates.count() == 1
