"""Fixtures shared by every app's tests."""

import pytest

from motcua.agencies.tests.factories import AgencyFactory, UnitFactory
from motcua.core.tests.storage import files_in

# The test CA, the time-stamp authority and the remote-signing stand-in (motcua.signing); the
# identity provider's stand-in (motcua.accounts).
pytest_plugins = ["motcua.signing.tests.fixtures", "motcua.accounts.tests.fixtures"]


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """A test marked ``postgres`` (real concurrent transactions, PostgreSQL's SQL) is skipped, before
    any database is set up for it, when the suite runs on another database.

    Under pytest-xdist (``--dist loadgroup``, as ``make test`` and .ci/run run it) a test file runs in
    one worker, so its module fixtures are set up once, and the ``postgres`` tests all run in the same
    worker, one after the other: each opens up to 50 connections, and two at once would pass
    PostgreSQL's 100."""
    from django.conf import settings

    on_postgres = "postgresql" in settings.DATABASES["default"]["ENGINE"]
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://... (run by .ci/run)")
    grouped = getattr(config.option, "dist", "no") == "loadgroup"
    for item in items:
        races = item.get_closest_marker("postgres") is not None
        if races and not on_postgres:
            item.add_marker(skip)
        if grouped:
            item.add_marker(pytest.mark.xdist_group("postgres" if races else item.nodeid.split("::")[0]))


@pytest.fixture
def province(db):
    return UnitFactory(code="08", name="Tỉnh Tuyên Quang", type="province")


@pytest.fixture
def agency(province):
    return AgencyFactory(code="000.00.12.H59", name="Sở Tư pháp tỉnh Tuyên Quang", unit=province)


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded and generated files go to ``tmp_path / "media"`` for the test (the folder returned)."""
    return files_in(settings, tmp_path / "media")


@pytest.fixture
def as_user():
    """A test client logged in as the given user."""
    from django.test import Client

    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _fresh_reference_caches():
    """Each test starts with empty reference caches (its database may reuse primary keys)."""
    from motcua.core.refcache import clear_all

    clear_all()
    yield
    clear_all()
