"""The dossiers' test office, and the SMS gateway's stand-in run as its own process."""

import json
import urllib.request

import pytest

from motcua.core.tests.processes import ManagedProcess
from motcua.dossiers.tests.conftest import office  # noqa: F401  (re-exported fixture)


class SmsGateway(ManagedProcess):
    """``manage.py sms_standin --port 0`` in a subprocess, spoken to over HTTP."""

    def __init__(self) -> None:
        super().__init__("sms_standin", "--quiet")

    def messages(self, receiver: str = "") -> list[dict]:
        query = f"?receiver={receiver}" if receiver else ""
        with urllib.request.urlopen(f"{self.url}/messages.json{query}", timeout=5) as response:
            return json.loads(response.read())["messages"]

    def fail_next(self, count: int) -> None:
        request = urllib.request.Request(
            f"{self.url}/control",
            data=json.dumps({"fail_next": count}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5):
            pass

    def page(self, receiver: str = "") -> str:
        query = f"?receiver={receiver}" if receiver else ""
        with urllib.request.urlopen(f"{self.url}/{query}", timeout=5) as response:
            return response.read().decode()


@pytest.fixture(scope="session")
def sms_standin():
    gateway = SmsGateway()
    yield gateway
    gateway.stop()


@pytest.fixture
def sms_gateway(sms_standin, settings):
    """SMS on, through the brandname plugin, to the session's stand-in (no failures pending)."""
    sms_standin.fail_next(0)
    settings.MOTCUA_SMS_BACKEND = "motcua.notifications.sms.brandname.BrandnameSender"
    settings.MOTCUA_SMS_URL = sms_standin.url
    return sms_standin


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block's after-commit work (the events, then the messages' tasks) as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _public_url(settings):
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.example.vn/"
