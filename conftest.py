"""Fixtures shared by every app's tests."""

import fcntl
import os

import pytest

from motcua.agencies.tests.factories import AgencyFactory, UnitFactory
from motcua.core.tests.storage import files_in

# The test CA, the time-stamp authority and the remote-signing stand-in (motcua.signing); the
# identity provider's stand-in (motcua.accounts); the order of the files (motcua.core.tests.ordering).
pytest_plugins = [
    "motcua.signing.tests.fixtures",
    "motcua.accounts.tests.fixtures",
    "motcua.core.tests.ordering",
]


def pytest_collection_modifyitems(config, items):
    """A test marked ``postgres`` (real concurrent transactions, PostgreSQL's SQL) is skipped, before
    any database is set up for it, when the suite runs on another database."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://... (run by .ci/run)")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _one_postgres_test_at_a_time(request, tmp_path_factory):
    """Under pytest-xdist the ``postgres`` tests of the workers take turns (a lock file the workers
    share): each opens up to 50 connections, and two at once would pass PostgreSQL's 100."""
    if request.node.get_closest_marker("postgres") is None:
        yield
        return
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # .../pytest-N/popen-gw0 -> .../pytest-N, the same for every worker
    with open(shared / "postgres-tests.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


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
def _site_language():
    """Each test starts in the site's language (Vietnamese), whatever the test before it in the same
    process activated: run in two processes, the order of the files changes."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_reference_caches():
    """Each test starts with empty reference caches (its database may reuse primary keys)."""
    from motcua.core.refcache import clear_all

    clear_all()
    yield
    clear_all()
