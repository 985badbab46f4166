"""The dossiers' test office, and the gateways' stand-ins run as their own processes."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client

from motcua.dossiers.tests.conftest import office  # noqa: F401  (re-exported fixture)

REPO = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Standin:
    """``manage.py payment_standin`` in a subprocess on a free port, stopped at the end of the test."""

    def __init__(self, gateway: str, site: str):
        self.gateway = gateway
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            str(REPO / "manage.py"),
            "payment_standin",
            "--gateway",
            gateway,
            "--port",
            str(self.port),
            "--site",
            site,
            "--quiet",
        ]
        env = {**os.environ, "DJANGO_DEBUG": "1"}
        self.process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"stand-in exited: {self.process.stdout.read().decode()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("stand-in did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.process.stdout:
            self.process.stdout.close()


@pytest.fixture
def standin(settings):
    """Start a gateway's stand-in: ``standin("vnpay", site)``; the site's settings point at it."""
    running: list[Standin] = []

    # By default the stand-in's confirmations go nowhere (a closed port: refused at once).
    def start(gateway: str, site: str = "http://127.0.0.1:9") -> Standin:
        process = Standin(gateway, site)
        running.append(process)
        if gateway == "vnpay":
            settings.MOTCUA_VNPAY_URL = process.url
        else:
            settings.MOTCUA_NATIONAL_PAYMENT_URL = process.url
        return process

    yield start
    for process in running:
        process.stop()


@pytest.fixture
def as_user():
    """A test client logged in as the given user."""

    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login
