"""The identity provider's stand-in for every test that needs it (registered in the root conftest.py).

It runs as its own process, started with its management command on a free port exactly as ``make
demo`` runs it; tests talk to it over HTTP, as the site does.
"""

import os
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[3]
CLIENT_ID = "motcua-test"
CLIENT_SECRET = "test-vneid-secret"
START = "/dang-nhap/dinh-danh/vneid/"


@dataclass
class Standin:
    process: subprocess.Popen
    url: str

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="session")
def identity_standin():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "MOTCUA_VNEID_CLIENT_ID": CLIENT_ID,
        "MOTCUA_VNEID_CLIENT_SECRET": CLIENT_SECRET,
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PYTEST_VERSION", None)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "identity_standin", "--port", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:  # blocks until the line comes or the process ends
        lines.append(line)
        if "Listening on " in line:
            standin = Standin(process, line.split("Listening on ", 1)[1].strip())
            break
    else:
        process.wait()
        raise RuntimeError("identity_standin did not start:\n" + "".join(lines))
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
