import pytest

from motcua.dossiers.tests.factories import make_office


@pytest.fixture
def office(db, media):
    return make_office()
