import pytest

from motcua.dossiers.tests.factories import make_office
from motcua.integrations.tests.conftest import (  # noqa: F401  (fixtures: the national portal's stand-in)
    committed,
    national_catalogue,
    national_portal,
    national_standin,
)


@pytest.fixture
def files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


@pytest.fixture
def office(db, files):
    return make_office()
