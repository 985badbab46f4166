import pytest

from motcua.documents.tests.factories import make_bureau


@pytest.fixture
def bureau(db, media):
    return make_bureau()


@pytest.fixture
def peer(db, media):
    return make_bureau("Ủy ban nhân dân phường Hòa Bình", "UBND", "Phường Hòa Bình")
