"""The identity provider's stand-in for every test that needs it (registered in the root conftest.py).

It runs as its own process, started with its management command on a free port exactly as ``make
demo`` runs it; tests talk to it over HTTP, as the site does.
"""

import urllib.parse

import pytest
import requests

from motcua.core.tests.processes import ManagedProcess

CLIENT_ID = "motcua-test"
CLIENT_SECRET = "test-vneid-secret"
START = "/dang-nhap/dinh-danh/vneid/"


@pytest.fixture(scope="session")
def identity_standin():
    env = {"MOTCUA_VNEID_CLIENT_ID": CLIENT_ID, "MOTCUA_VNEID_CLIENT_SECRET": CLIENT_SECRET}
    standin = ManagedProcess("identity_standin", env=env)
    yield standin
    standin.stop()


@pytest.fixture
def vneid(settings, identity_standin):
    """The site configured for the stand-in; its discovery cache emptied."""
    from motcua.accounts.identity import oidc

    settings.MOTCUA_IDENTITY_PROVIDERS = ["vneid"]
    settings.MOTCUA_VNEID_ISSUER = identity_standin.url
    settings.MOTCUA_VNEID_CLIENT_ID = CLIENT_ID
    settings.MOTCUA_VNEID_CLIENT_SECRET = CLIENT_SECRET
    oidc._discovery.clear()
    return identity_standin


PERSON = {
    "SoDinhDanh": "001092004567",
    "HoVaTen": "Lê Thị Hoa",
    "NgayThangNamSinh": "19920305",
    "LoaiTaiKhoan": "1",
    "loAs": "2",
}


def authorize(authorize_url: str, *, person: dict | None = None, fault: str = "", browser=None) -> str:
    """Answer the stand-in's login page as a tester would; the address it sends the browser back to."""
    parts = urllib.parse.urlsplit(authorize_url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    form = {**query, **PERSON, **(person or {}), "fault": fault, "decision": "allow"}
    page = f"{parts.scheme}://{parts.netloc}{parts.path}"
    answer = (browser or requests).post(page, data=form, allow_redirects=False, timeout=10)
    assert answer.status_code == 303, answer.text
    return answer.headers["Location"]


def log_in_through_standin(client, *, person: dict | None = None, fault: str = "", browser=None, start=START):
    """The whole login with Django's test client as the browser: the site's answer to the callback,
    and the callback's address (path and query)."""
    started = client.get(start)
    assert started.status_code == 302, started.content
    back = urllib.parse.urlsplit(authorize(started["Location"], person=person, fault=fault, browser=browser))
    callback = f"{back.path}?{back.query}"
    return client.get(callback), callback
