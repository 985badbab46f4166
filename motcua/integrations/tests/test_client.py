"""The adapter's transport against the stand-in: login, the envelope, error_code, a new session."""

import pytest

from motcua.integrations.national.client import NationalPortalClient, NationalPortalError


def _client(portal, **overrides) -> NationalPortalClient:
    fields = {
        "url": portal.url,
        "username": "motcua-demo",
        "password": "motcua-demo",
        "madonvi": "000.00.00.H99",
    }
    return NationalPortalClient(**{**fields, **overrides})


def test_login_gives_a_session_used_in_every_call(national_portal):
    client = _client(national_portal)

    session = client.login()
    answer = client.call("TraCuuHoSo", mahoso="000.01.01.H59-991231-0001")

    assert session and client.session == session
    assert answer == {"error_code": 0, "message": "Thành công", "result": []}


def test_a_wrong_password_is_refused_with_the_portals_message(national_portal):
    with pytest.raises(NationalPortalError, match="mật khẩu không đúng") as caught:
        _client(national_portal, password="sai").login()

    assert caught.value.code == 5


def test_an_expired_session_logs_in_again_once(national_portal):
    client = _client(national_portal)
    first = client.login()
    national_portal.control(expire_sessions=True)

    client.look_up("000.01.01.H59-991231-0001")

    assert client.session and client.session != first


def test_a_refusal_carries_error_code_and_message(national_portal):
    client = _client(national_portal, madonvi="000.00.00.X00")

    with pytest.raises(NationalPortalError, match="Mã đơn vị không hợp lệ") as caught:
        client.look_up("000.01.01.H59-991231-0001")

    assert caught.value.code == 2 and not caught.value.already_exists


def test_an_unreachable_portal_is_an_error_without_a_code():
    client = NationalPortalClient(
        url="http://127.0.0.1:9", username="u", password="p", madonvi="x", timeout=2
    )

    with pytest.raises(NationalPortalError, match="unreachable") as caught:
        client.login()

    assert caught.value.code is None
