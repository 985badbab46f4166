"""The backbone's stand-in run as its own process on a free port, as ``make demo`` runs it."""

import pytest

from motcua.core.tests.processes import ManagedProcess, free_port


class BackboneStandin(ManagedProcess):
    def __init__(self, secret: str):
        super().__init__("exchange_standin", "--secret", secret, "--quiet", port=free_port())


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
def media(media):
    """Files of received documents go to a temporary directory (the root conftest's, for every test)."""
    return media


@pytest.fixture
def document_types(db):
    """The document types of Decree 30 (a transactional test run before in the same process empties
    the table their data migration filled)."""
    from motcua.documents.types import ensure_types

    ensure_types()
