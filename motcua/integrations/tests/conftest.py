"""The dossiers' test office, and the national portal's stand-in run as its own process."""

import json
import urllib.request
from pathlib import Path

import pytest

from motcua.core.tests.processes import ManagedProcess
from motcua.dossiers.tests.conftest import office  # noqa: F401  (re-exported fixture)
from motcua.integrations.national import client as client_module


class NationalPortal(ManagedProcess):
    """``manage.py national_standin --port 0`` in a subprocess, spoken to over HTTP. ``stop`` and
    ``start`` again keep its SQLite file and its port: an outage, then the portal back."""

    def __init__(self, data: Path) -> None:
        self.data = data
        super().__init__("national_standin", "--quiet", "--data", str(data))

    def _get(self, path: str) -> bytes:
        with urllib.request.urlopen(f"{self.url}{path}", timeout=5) as response:
            return response.read()

    def dossiers(self, code: str = "") -> list[dict]:
        return json.loads(self._get(f"/hoso.json?mahoso={code}" if code else "/hoso.json"))["dossiers"]

    def dossier(self, code: str) -> dict:
        (found,) = self.dossiers(code)
        return found

    def page(self) -> str:
        return self._get("/").decode()

    def control(self, **fields) -> dict:
        request = urllib.request.Request(
            f"{self.url}/control",
            data=json.dumps(fields).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())


@pytest.fixture(scope="session")
def national_standin(tmp_path_factory):
    portal = NationalPortal(tmp_path_factory.mktemp("national") / "portal.sqlite3")
    yield portal
    portal.stop()


@pytest.fixture
def national_portal(national_standin, settings):
    """The sync on, to the session's stand-in (running, no failures pending, a fresh session)."""
    if national_standin.process is None:
        national_standin.start()
    national_standin.control(fail_next=0, reset=True)
    settings.MOTCUA_NATIONAL_PORTAL_URL = national_standin.url
    client_module._clients.clear()
    yield national_standin
    client_module._clients.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block's after-commit work (the events, then the sync's tasks) as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
