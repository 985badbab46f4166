"""Files a test uploads or generates go to a folder of its own, never to the project's var/media."""

from pathlib import Path


def files_in(settings, folder: Path) -> Path:
    """Point the default storage at ``folder`` through pytest-django's ``settings`` (restored after the
    test); returns the folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    return folder
