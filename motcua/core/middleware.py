"""Django's browser middleware, bypassed by API requests.

The API (``/api/``, django-ninja) authenticates with bearer tokens and answers JSON: it has no use
for sessions, the login cookie, CSRF tokens, flash messages or trailing-slash redirects. Django
applies middleware to every URL, and these cost about 0.6 ms of CPU per API request, a fifth of a
dossier submission (docs/decisions/0005). The security, locale and frame-options middleware still
run for the API (its interactive docs at /api/docs are an HTML page). Each class below is Django's own,
subclassed (so Django's checks and ``isinstance`` still recognise it) to hand API requests straight
to the next layer. Browser pages get exactly Django's behaviour.

If the API ever accepts the session cookie, take SessionMiddleware, AuthenticationMiddleware and
CsrfViewMiddleware off this list for it.
"""

from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from django.middleware import common, csrf, locale
from django.utils import translation
from django.utils.cache import patch_vary_headers

# Where motcua.urls mounts the API.
API_PATH_PREFIX = "/api/"


class BypassedByApi:
    """Mixin: requests under API_PATH_PREFIX skip this middleware's request and response hooks."""

    def __call__(self, request):
        if request.path_info.startswith(API_PATH_PREFIX):
            return self.get_response(request)  # type: ignore[attr-defined]
        return super().__call__(request)  # type: ignore[misc]


class SessionMiddleware(BypassedByApi, sessions.SessionMiddleware):
    pass


class CommonMiddleware(BypassedByApi, common.CommonMiddleware):
    pass


class CsrfViewMiddleware(BypassedByApi, csrf.CsrfViewMiddleware):
    """API views are csrf_exempt (django-ninja's default without cookie auth), so the view hook,
    which Django calls apart from __call__, lets them through as before."""


class AuthenticationMiddleware(BypassedByApi, auth.AuthenticationMiddleware):
    pass


class MessageMiddleware(BypassedByApi, messages.MessageMiddleware):
    pass


class LocaleMiddleware(locale.LocaleMiddleware):
    """Pages take their language from the URL (no prefix: Vietnamese; /en/: English). API answers
    have no language in their URL: they follow the client's Accept-Language (Vietnamese by default),
    so an error message comes in one language, the one asked for."""

    def process_request(self, request):
        if not request.path_info.startswith(API_PATH_PREFIX):
            return super().process_request(request)
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        if request.path_info.startswith(API_PATH_PREFIX):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
