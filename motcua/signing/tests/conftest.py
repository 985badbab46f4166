import pytest

from motcua.dossiers.tests.factories import make_office


@pytest.fixture
def office(db, signing):
    """The dossiers' test office, with signing configured (motcua.signing.tests.fixtures.signing)."""
    return make_office()
