"""Fixtures shared by every app's tests."""

import pytest

from motcua.agencies.tests.factories import AgencyFactory, UnitFactory

# The test CA, the time-stamp authority and the remote-signing stand-in (motcua.signing); the
# identity provider's stand-in (motcua.accounts).
pytest_plugins = ["motcua.signing.tests.fixtures", "motcua.accounts.tests.fixtures"]


@pytest.fixture
def province(db):
    return UnitFactory(code="08", name="Tỉnh Tuyên Quang", type="province")


@pytest.fixture
def agency(province):
    return AgencyFactory(code="000.00.12.H59", name="Sở Tư pháp tỉnh Tuyên Quang", unit=province)


@pytest.fixture(autouse=True)
def _fresh_reference_caches():
    """Each test starts with empty reference caches (its database may reuse primary keys)."""
    from motcua.core.refcache import clear_all

    clear_all()
    yield
    clear_all()
