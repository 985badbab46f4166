import pytest

from motcua.dossiers.tests.factories import make_office
from motcua.integrations.tests.conftest import (  # noqa: F401  (fixtures: the national portal's stand-in)
    committed,
    national_catalogue,
    national_portal,
    national_standin,
)


@pytest.fixture
def office(db, media):
    return make_office()
