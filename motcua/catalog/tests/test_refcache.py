"""Reference caches: reused within their seconds, reloaded after, cleared by a change in this process."""

import pytest

from motcua.agencies.selectors import agency_by_code, current_unit
from motcua.agencies.tests.factories import AgencyFactory
from motcua.catalog.selectors import current_version
from motcua.catalog.services import publish_version, start_draft
from motcua.catalog.tests.factories import make_procedure
from motcua.core import refcache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(refcache.time, "monotonic", fake)
    return fake


def test_a_value_is_loaded_once_within_its_seconds_then_again(clock, settings):
    settings.MOTCUA_REFERENCE_CACHE_SECONDS = 60
    cache = refcache.TimedCache("test")
    loads = []

    def load():
        loads.append(1)
        return len(loads)

    assert [cache.get("k", load), cache.get("k", load)] == [1, 1]
    clock.now += 59.9
    assert cache.get("k", load) == 1
    clock.now += 0.2
    assert cache.get("k", load) == 2
    assert len(loads) == 2


def test_unknown_keys_are_remembered_too_and_zero_seconds_turns_caching_off(settings):
    cache = refcache.TimedCache("test")
    calls = []
    settings.MOTCUA_REFERENCE_CACHE_SECONDS = 60
    assert cache.get("missing", lambda: calls.append(1)) is None
    assert cache.get("missing", lambda: calls.append(1)) is None
    assert len(calls) == 1
    settings.MOTCUA_REFERENCE_CACHE_SECONDS = 0
    cache.get("missing", lambda: calls.append(1))
    cache.get("missing", lambda: calls.append(1))
    assert len(calls) == 3


def test_the_cache_does_not_grow_without_bound(settings):
    settings.MOTCUA_REFERENCE_CACHE_SECONDS = 60
    cache = refcache.TimedCache("test", max_size=3)
    for key in range(10):
        cache.get(key, lambda: "v")
    assert len(cache._data) <= 3


def test_an_agency_saved_in_this_process_is_read_again(agency, django_assert_num_queries):
    assert agency_by_code(agency.code.lower()).name == agency.name
    with django_assert_num_queries(0):
        assert agency_by_code(f" {agency.code} ") is not None

    agency.is_active = False
    agency.save()

    assert agency_by_code(agency.code).is_active is False
    assert agency_by_code("000.99.99.H59") is None
    AgencyFactory(code="000.99.99.H59")
    assert agency_by_code("000.99.99.H59") is not None


def test_units_are_cached_with_their_parent(agency, django_assert_num_queries):
    province = agency.unit
    commune = province.children.create(code="00691", name="Phường Hà Giang 2", type="ward")
    assert current_unit("00691").parent.name == province.name
    with django_assert_num_queries(0):
        assert current_unit("00691") == commune
    commune.name = "Phường Hà Giang Hai"
    commune.save()
    assert current_unit("00691").name == "Phường Hà Giang Hai"


def test_publishing_a_version_makes_it_current_at_once(agency):
    first = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency)
    assert current_version("1.001193") == first

    second = publish_version(start_draft(first.procedure))

    assert current_version("1.001193") == second
    assert current_version("9.999999") is None
