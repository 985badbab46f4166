"""The demo's tests: uploaded and generated files go to a temporary directory, and the PDF notices and
results are a fixed small PDF (WeasyPrint takes ~0.15 s a page and the demo makes hundreds; the
notices themselves are tested in motcua/dossiers)."""

from unittest import mock

import pytest

SMALL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _demo_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    with (
        mock.patch("motcua.dossiers.notices.render_notice", return_value=SMALL_PDF),
        mock.patch("motcua.dossiers.notices.render_result", return_value=SMALL_PDF),
    ):
        yield
