"""System checks of our own."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.module_loading import import_string


@register(Tags.security, deploy=True)
def csrf_middleware_installed(app_configs, **kwargs):
    """Django's own security.W003 looks for CsrfViewMiddleware by its dotted name; motcua installs a
    subclass that lets the API (bearer tokens, no cookies) through (motcua.core.middleware), so W003 is
    silenced and this check asks the same question of the classes themselves."""
    for path in settings.MIDDLEWARE:
        try:
            cls = import_string(path)
        except ImportError:
            continue
        if isinstance(cls, type) and issubclass(cls, CsrfViewMiddleware):
            return []
    return [
        Warning(
            "No CsrfViewMiddleware (or subclass) in MIDDLEWARE: forms are not protected against CSRF.",
            id="motcua.W001",
        )
    ]
