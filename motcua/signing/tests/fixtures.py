"""Signing fixtures for every test that needs them (registered in the root conftest.py).

The time-stamp authority and the remote-signing stand-in run as their own processes, started with
their management commands on free ports, exactly as ``make demo`` runs them; tests talk to them
over HTTP. The test CA lives in a temporary directory for the session.
"""

import shutil
from pathlib import Path

import pytest

from motcua.core.tests.processes import ManagedProcess

REMOTE_USER = "lanhdao.tuxa"


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


def start_service(command: str, *args: str, directory: Path) -> ManagedProcess:
    """Run ``manage.py <command> <args> --port 0 --dir <directory>``; its URL once it listens."""
    env = {"MOTCUA_VAR_DIR": str(directory / "var")}
    return ManagedProcess(command, *args, "--dir", str(directory), env=env)


@pytest.fixture(scope="session")
def tsa_server(signing_material):
    service = start_service("signing_tsa", directory=signing_material.directory)
    yield service
    service.stop()


@pytest.fixture(scope="session")
def remote_signer(signing_material):
    service = start_service("signing_standin", "--expires-in", "600", directory=signing_material.directory)
    yield service
    service.stop()


@pytest.fixture
def signing(settings, signing_material, tsa_server, media):
    """Signing configured for the test: the session's CA trusted, its TSA, files in a temporary folder."""
    settings.MOTCUA_SIGNING_ENABLED = True
    settings.MOTCUA_SIGNING_DIR = signing_material.directory
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(signing_material.root_pem)]
    settings.MOTCUA_SIGNING_TSA_URL = tsa_server.url
    settings.MOTCUA_SIGNING_REMOTE_URL = "http://127.0.0.1:9"  # nothing there unless remote_signer
    return signing_material


@pytest.fixture
def remote_signing(signing, settings, remote_signer):
    settings.MOTCUA_SIGNING_REMOTE_URL = remote_signer.url
    return remote_signer


def pdfsig_available() -> bool:
    return shutil.which("pdfsig") is not None and shutil.which("certutil") is not None
