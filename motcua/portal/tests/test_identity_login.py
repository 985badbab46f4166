"""Login with the national identity (VNeID-style OpenID Connect) against the stand-in provider, over
HTTP: the account made or linked by identity number, every refused token, replayed state, PKCE at the
provider, the identity-number takeover case, logout of both sessions."""

import base64
import hashlib
import urllib.parse

import pytest
import requests
from django.contrib.auth import SESSION_KEY

from motcua.accounts.models import LinkedIdentity, User
from motcua.accounts.tests.factories import PASSWORD, UserFactory
from motcua.accounts.tests.fixtures import CLIENT_ID, CLIENT_SECRET, PERSON, authorize, log_in_through_standin
from motcua.core.models import AuditEntry
from motcua.dossiers import rules, selectors, services
from motcua.dossiers.constants import Operation
from motcua.dossiers.errors import NotAllowed
from motcua.dossiers.tests.conftest import office  # noqa: F401  (fixture)
from motcua.dossiers.tests.factories import submitted

pytestmark = pytest.mark.django_db


def _logged_in_user(client) -> User | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk) if pk else None


def test_login_page_offers_the_national_identity(client, vneid):
    page = client.get("/dang-nhap/")
    assert "Đăng nhập bằng tài khoản định danh điện tử (VNeID)" in page.content.decode()
    assert 'href="/dang-nhap/dinh-danh/vneid/"' in page.content.decode()


def test_the_request_carries_pkce_state_and_nonce(client, vneid):
    started = client.get("/dang-nhap/dinh-danh/vneid/")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(started["Location"]).query))
    attempt = client.session["identity_login"]
    assert started["Location"].startswith(vneid.url + "/authorize?")
    assert query["code_challenge_method"] == "S256"
    digest = hashlib.sha256(attempt["verifier"].encode()).digest()
    assert query["code_challenge"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert query["state"] == attempt["state"] and query["nonce"] == attempt["nonce"]
    assert query["client_id"] == CLIENT_ID and query["scope"] == "openid"
    assert attempt["verifier"] not in started["Location"]


def test_first_login_makes_a_verified_account_and_the_next_finds_it(client, vneid):
    answer, _ = log_in_through_standin(client)
    assert answer.status_code == 302 and answer["Location"] == "/ho-so-cua-toi/"
    user = _logged_in_user(client)
    assert user is not None
    assert (user.identity_number, user.full_name, user.identity_assurance) == (
        "001092004567",
        "Lê Thị Hoa",
        2,
    )
    assert not user.has_usable_password()
    link = LinkedIdentity.objects.get(user=user)
    assert link.provider == "vneid" and str(link.birth_date) == "1992-03-05"

    client.post("/dang-xuat/")
    answer, _ = log_in_through_standin(client, person={"loAs": "1"})
    assert _logged_in_user(client) == user
    user.refresh_from_db()
    assert user.identity_assurance == 1  # the level of the last login
    assert User.objects.filter(identity_number="001092004567").count() == 1


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("issuer", "không do hệ thống định danh đã cấu hình phát hành"),
        ("audience", "không cấp cho hệ thống này"),
        ("nonce", "nonce không khớp"),
        ("expired", "đã hết hạn"),
    ],
)
def test_a_wrong_id_token_is_refused_with_the_reason(client, vneid, fault, message):
    answer, _ = log_in_through_standin(client, fault=fault)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert _logged_in_user(client) is None
    assert not User.objects.filter(identity_number=PERSON["SoDinhDanh"]).exists()


def test_a_replayed_state_is_refused(client, vneid):
    answer, callback = log_in_through_standin(client)
    assert answer.status_code == 302
    client.post("/dang-xuat/")
    again = client.get(callback)
    assert again.status_code == 400
    assert "không hợp lệ hoặc đã được dùng (state)" in again.content.decode()
    assert _logged_in_user(client) is None


def test_a_state_of_another_login_is_refused(client, vneid):
    started = client.get("/dang-nhap/dinh-danh/vneid/")
    back = urllib.parse.urlsplit(authorize(started["Location"]))
    query = dict(urllib.parse.parse_qsl(back.query))
    query["state"] = "forged-" + query["state"]
    answer = client.get(back.path, query)
    assert answer.status_code == 400 and "(state)" in answer.content.decode()
    assert _logged_in_user(client) is None


def test_the_provider_refuses_a_wrong_pkce_verifier(client, vneid):
    started = client.get("/dang-nhap/dinh-danh/vneid/")
    back = urllib.parse.urlsplit(authorize(started["Location"]))
    code = dict(urllib.parse.parse_qsl(back.query))["code"]
    redirect_uri = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(started["Location"]).query))[
        "redirect_uri"
    ]
    answer = requests.post(
        f"{vneid.url}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": "not-the-verifier-" + "x" * 40,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        },
        timeout=10,
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant" and "PKCE" in answer.json()["error_description"]


def test_a_wrong_client_secret_is_refused_at_the_provider(client, vneid, settings):
    settings.MOTCUA_VNEID_CLIENT_SECRET = "wrong"
    answer, _ = log_in_through_standin(client)
    assert answer.status_code == 400 and "từ chối" in answer.content.decode()


def test_a_password_account_with_someone_elses_number_cannot_take_over(client, vneid, office):  # noqa: F811
    """Rule (accounts.services.sign_in_with_identity): a number typed at a password registration is a
    claim. When the number's owner logs in through the provider they get their own account, the
    password account loses the number (kept as unverified), and the owner may claim the dossiers
    submitted under it; the password account may not claim anything."""
    number = PERSON["SoDinhDanh"]
    office.citizen.identity_number = number  # Mallory registered with Hoa's number
    office.citizen.save()
    dossier = submitted(office)
    assert dossier.applicant_identity == number

    answer, _ = log_in_through_standin(client)
    owner = _logged_in_user(client)
    assert owner is not None and owner != office.citizen
    assert answer["Location"] == "/ho-so-cua-toi/nhan-ho-so/"
    mallory = User.objects.get(pk=office.citizen.pk)
    assert (mallory.identity_number, mallory.unverified_identity_number) == (None, number)
    assert AuditEntry.objects.filter(action="account.identity_superseded", object_id=str(mallory.pk)).exists()

    # Neither sees the other's dossiers; the password account's holder cannot claim.
    assert not selectors.visible_to(owner).filter(pk=dossier.pk).exists()
    assert not rules.may(mallory, Operation.CLAIM, dossier)
    with pytest.raises(NotAllowed):
        services.claim_dossier(dossier, actor=mallory)
    # Logging in with the password still opens only Mallory's account, now without the number.
    other = client.__class__()
    assert other.post("/dang-nhap/", {"username": mallory.username, "password": PASSWORD}).status_code == 302
    assert not selectors.claimable_by(mallory).exists()

    page = client.get("/ho-so-cua-toi/nhan-ho-so/")
    assert dossier.code in page.content.decode()
    assert client.post("/ho-so-cua-toi/nhan-ho-so/", {"dossier": [str(dossier.public_id)]}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.applicant == owner
    assert not selectors.visible_to(mallory).filter(pk=dossier.pk).exists()
    assert AuditEntry.objects.filter(action="dossier.claim", object_id=str(dossier.pk)).exists()
    assert not selectors.claimable_by(owner).exists()


def test_claiming_nothing_names_the_list(client, vneid, office):  # noqa: F811
    office.citizen.identity_number = PERSON["SoDinhDanh"]
    office.citizen.save()
    submitted(office)
    log_in_through_standin(client)
    answer = client.post("/ho-so-cua-toi/nhan-ho-so/", {})
    assert answer.status_code == 400 and "Chọn ít nhất một hồ sơ" in answer.content.decode()


def test_a_logged_in_account_is_linked_when_its_number_is_verified(client, vneid):
    mine = UserFactory(identity_number=PERSON["SoDinhDanh"])
    client.force_login(mine)
    answer, _ = log_in_through_standin(client)
    assert answer.status_code == 302
    mine.refresh_from_db()
    assert _logged_in_user(client) == mine and mine.identity_verified
    assert LinkedIdentity.objects.get(user=mine).identity_number == PERSON["SoDinhDanh"]


def test_a_logged_in_account_with_another_number_is_not_linked(client, vneid):
    other = UserFactory(identity_number="001092009999")
    client.force_login(other)
    answer, _ = log_in_through_standin(client)
    assert answer.status_code == 400 and "số định danh khác" in answer.content.decode()
    assert not LinkedIdentity.objects.exists()


def test_a_password_registration_with_a_verified_number_makes_no_account(client, vneid):
    log_in_through_standin(client)
    client.post("/dang-xuat/")
    client.post(
        "/dang-ky/",
        {
            "kind": "citizen",
            "full_name": "Kẻ Mạo Danh",
            "identity_number": PERSON["SoDinhDanh"],
            "email": "mao@example.vn",
            "password": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert User.objects.filter(identity_number=PERSON["SoDinhDanh"]).count() == 1
    assert not User.objects.filter(email="mao@example.vn").exists()


def test_logout_ends_both_sessions(client, vneid):
    browser = requests.Session()  # the browser's cookies at the provider
    log_in_through_standin(client, browser=browser)
    page = browser.get(f"{vneid.url}/authorize", params=_authorize_params(client), timeout=10)
    assert "Đang đăng nhập: Lê Thị Hoa" in page.text

    answer = client.post("/dang-xuat/")
    assert _logged_in_user(client) is None
    assert answer["Location"].startswith(f"{vneid.url}/logout?")
    assert "id_token_hint=" in answer["Location"]
    back = browser.get(answer["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 303 and back.headers["Location"] == "http://testserver/"
    page = browser.get(f"{vneid.url}/authorize", params=_authorize_params(client), timeout=10)
    assert "Đang đăng nhập" not in page.text


def _authorize_params(client) -> dict:
    started = client.get("/dang-nhap/dinh-danh/vneid/")
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(started["Location"]).query))


def test_a_refused_login_at_the_provider_says_so(client, vneid):
    started = client.get("/dang-nhap/dinh-danh/vneid/")
    parts = urllib.parse.urlsplit(started["Location"])
    form = {**dict(urllib.parse.parse_qsl(parts.query)), "decision": "deny"}
    back = requests.post(f"{vneid.url}/authorize", data=form, allow_redirects=False, timeout=10)
    target = urllib.parse.urlsplit(back.headers["Location"])
    answer = client.get(f"{target.path}?{target.query}")
    assert answer.status_code == 400 and "không cho đăng nhập" in answer.content.decode()


def test_an_unreachable_provider_is_a_clear_page(client, vneid, settings):
    settings.MOTCUA_VNEID_ISSUER = "http://127.0.0.1:9"
    answer = client.get("/dang-nhap/dinh-danh/vneid/")
    assert answer.status_code == 503
    assert "Không kết nối được với hệ thống định danh điện tử" in answer.content.decode()


def test_an_unknown_provider_is_not_found(client, vneid):
    assert client.get("/dang-nhap/dinh-danh/nope/").status_code == 404
