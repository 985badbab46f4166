"""The test office of the dossiers app (a ward committee, its officers, a citizen) and page helpers."""

import pytest
from django.test import Client

from motcua.dossiers.tests.conftest import office  # noqa: F401  (re-exported fixture)


@pytest.fixture
def as_user():
    """A test client logged in as the given user."""

    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login
