"""The demo's tests: uploaded and generated files go to a temporary directory."""

import pytest


@pytest.fixture(autouse=True)
def _demo_files(media):
    return media
