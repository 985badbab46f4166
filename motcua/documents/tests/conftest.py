import pytest

from motcua.documents.tests.factories import make_bureau


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def bureau(db, media):
    return make_bureau()


@pytest.fixture
def peer(db, media):
    return make_bureau("Ủy ban nhân dân phường Hòa Bình", "UBND", "Phường Hòa Bình")
