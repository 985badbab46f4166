"""Signing fixtures for every test that needs them (registered in the root conftest.py).

The time-stamp authority and the remote-signing stand-in run as their own processes, started with
their management commands on free ports, exactly as ``make demo`` runs them; tests talk to them
over HTTP. The test CA lives in a temporary directory for the session.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
REMOTE_USER = "lanhdao.tuxa"
READY_TIMEOUT = 60


@pytest.fixture(scope="session")
def signing_material(tmp_path_factory):
    """The test CA, the TSA certificate, the NSS database (when certutil exists) and the stand-in's
    key for REMOTE_USER, in a directory of the session."""
    from motcua.signing import demo

    directory = tmp_path_factory.mktemp("signing")
    material = demo.ensure_authorities(directory)
    demo.ensure_remote_signer(material, REMOTE_USER, "Lãnh Đạo Từ Xa", "Ủy ban nhân dân phường Minh Xuân")
    demo.ensure_nss_database(material)
    return material


class Service:
    def __init__(self, process: subprocess.Popen, url: str):
        self.process = process
        self.url = url

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_service(command: list[str], directory: Path) -> Service:
    """Run ``manage.py <command> --port 0 --dir <directory>`` and wait for its "Listening on" line."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "MOTCUA_VAR_DIR": str(directory / "var"),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PYTEST_VERSION", None)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *command, "--port", "0", "--dir", str(directory)],
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
            url = line.split("Listening on ", 1)[1].strip()
            return Service(process, url)
    process.wait()
    raise RuntimeError(f"{command[0]} did not start:\n{''.join(lines)}")


@pytest.fixture(scope="session")
def tsa_server(signing_material):
    service = start_service(["signing_tsa"], signing_material.directory)
    yield service
    service.stop()


@pytest.fixture(scope="session")
def remote_signer(signing_material):
    service = start_service(["signing_standin", "--expires-in", "600"], signing_material.directory)
    yield service
    service.stop()


@pytest.fixture
def signing(settings, signing_material, tsa_server, tmp_path):
    """Signing configured for the test: the session's CA trusted, its TSA, files in a temporary folder."""
    settings.MOTCUA_SIGNING_ENABLED = True
    settings.MOTCUA_SIGNING_DIR = signing_material.directory
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(signing_material.root_pem)]
    settings.MOTCUA_SIGNING_TSA_URL = tsa_server.url
    settings.MOTCUA_SIGNING_REMOTE_URL = "http://127.0.0.1:9"  # nothing there unless remote_signer
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return signing_material


@pytest.fixture
def remote_signing(signing, settings, remote_signer):
    settings.MOTCUA_SIGNING_REMOTE_URL = remote_signer.url
    return remote_signer


def pdfsig_available() -> bool:
    return shutil.which("pdfsig") is not None and shutil.which("certutil") is not None
