"""The dossiers' test office, and the SMS gateway's stand-in run as its own process."""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from motcua.dossiers.tests.conftest import office  # noqa: F401  (re-exported fixture)

ROOT = Path(__file__).resolve().parents[3]


class SmsGateway:
    """``manage.py sms_standin --port 0`` in a subprocess, spoken to over HTTP."""

    def __init__(self) -> None:
        env = {**os.environ, "DJANGO_DEBUG": "1", "PYTHONUNBUFFERED": "1"}
        env.pop("PYTEST_VERSION", None)
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "sms_standin", "--port", "0", "--quiet"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.process.stdout is not None
        lines = []
        for line in self.process.stdout:  # blocks until the line comes or the process ends
            lines.append(line)
            if "Listening on " in line:
                self.url = line.split("Listening on ", 1)[1].strip()
                return
        self.process.wait()
        raise RuntimeError("the SMS stand-in did not start:\n" + "".join(lines))

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

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


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
