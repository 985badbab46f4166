import pytest

from motcua.dossiers.tests.factories import make_office


@pytest.fixture
def office(db, media):
    """A ward committee, its officers, a citizen and a published procedure; files in a temporary folder."""
    return make_office()
