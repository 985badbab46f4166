"""The demo's tests: uploaded and generated files go to a temporary directory."""

import pytest


@pytest.fixture(autouse=True)
def _demo_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
