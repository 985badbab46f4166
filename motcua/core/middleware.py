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

import json
import re

from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware import common, csrf, locale
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from motcua.core.text import is_hostile

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


# In a JSON text, the escapes that can decode to a NUL or to a surrogate (paired or alone). A body
# without them cannot hold either (raw control characters are invalid JSON), so most are never parsed here.
_SUSPECT_JSON = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


class RefuseHostileInput:
    """Refuse, in one place for pages and API, text that no field accepts: a NUL character or a lone
    surrogate, in the path (404), the query string, a form or a JSON body (422 naming the field). An API
    JSON body that is not an object is refused as well (422 on ``body``): every operation takes one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_hostile(request.path_info):
            raise Http404
        api = request.path_info.startswith(API_PATH_PREFIX)
        field = self._hostile_field(request)
        if field is not None:
            return self._refuse(request, api, field, _("Giá trị chứa ký tự không hợp lệ."))
        if api and request.method in ("POST", "PUT", "PATCH") and _is_json(request):
            body = request.body.lstrip()
            if body and not body.startswith(b"{") and _parses(body):
                return self._refuse(request, api, "body", _("Nội dung gửi lên phải là một đối tượng JSON."))
        return self.get_response(request)

    @staticmethod
    def _hostile_field(request) -> str | None:
        for name, values in request.GET.lists():
            if is_hostile(name) or any(is_hostile(v) for v in values):
                return _clip(name)
        if request.method not in ("POST", "PUT", "PATCH"):
            return None
        if _is_json(request):
            body = request.body
            if _SUSPECT_JSON.search(body) is None:
                return None
            try:
                data = json.loads(body)
            except ValueError:
                return None  # not JSON: the view answers that
            return _hostile_in(data, "")
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for name, values in request.POST.lists():
                if is_hostile(name) or any(is_hostile(v) for v in values):
                    return _clip(name)
            for name, files in request.FILES.lists():
                if any(is_hostile(f.name or "") for f in files):
                    return _clip(name)
        return None

    @staticmethod
    def _refuse(request, api: bool, field: str, message: str) -> HttpResponse:
        if api:
            return JsonResponse({"detail": message, "errors": {field: [message]}}, status=422)
        page = render_to_string("core/invalid_input.html", {"message": message}, request=request)
        return HttpResponse(page, status=422)


def _is_json(request) -> bool:
    return request.content_type == "application/json" or request.content_type.endswith("+json")


def _parses(body: bytes) -> bool:
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


def _clip(name: str) -> str:
    """A field name as echoed back: printable, short."""
    return "".join(ch for ch in name if not is_hostile(ch))[:100] or "?"


def _hostile_in(value, path: str) -> str | None:
    """The dotted path of the first string (key or value) in ``value`` that no field accepts."""
    if isinstance(value, str):
        return _clip(path or "body") if is_hostile(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if is_hostile(key):
                return _clip(here)
            if (found := _hostile_in(item, here)) is not None:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if (found := _hostile_in(item, f"{path}.{i}" if path else str(i))) is not None:
                return found
    return None
