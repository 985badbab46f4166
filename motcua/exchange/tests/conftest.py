"""The backbone's stand-in run as its own process on a free port, as ``make demo`` runs it."""

import pytest

from motcua.payments.tests.conftest import REPO, free_port


class BackboneStandin:
    def __init__(self, secret: str):
        import os
        import socket
        import subprocess
        import sys
        import time

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            str(REPO / "manage.py"),
            "exchange_standin",
            "--port",
            str(self.port),
            "--secret",
            secret,
            "--quiet",
        ]
        self.process = subprocess.Popen(
            command,
            cwd=REPO,
            env={**os.environ, "DJANGO_DEBUG": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
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
        raise RuntimeError("the backbone stand-in did not start")

    def stop(self) -> None:
        import subprocess

        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.process.stdout:
            self.process.stdout.close()


@pytest.fixture(scope="session")
def backbone_process():
    process = BackboneStandin("exchange-test-secret")
    yield process
    process.stop()


@pytest.fixture
def backbone(backbone_process, settings):
    """The backbone's stand-in, this site's settings pointing at it."""
    settings.MOTCUA_EXCHANGE_BACKBONE_URL = backbone_process.url
    settings.MOTCUA_EXCHANGE_BACKBONE_SECRET = "exchange-test-secret"
    settings.MOTCUA_EXCHANGE_BACKBONE_SYSTEM_ID = "test"
    return backbone_process


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Files of received documents go to a temporary directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def document_types(db):
    """The document types (a transactional test empties the table its data migration filled)."""
    from motcua.documents.models import DocumentType

    DocumentType.objects.get_or_create(code="cong-van", defaults={"name": "Công văn", "abbreviation": ""})
