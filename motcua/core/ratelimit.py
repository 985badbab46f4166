"""A fixed-window rate limit per key (a client address, say), counted in the database so that every
server process shares it: one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` per request.

Limits are written ``"<count>/<period>"``, the period one of ``s``, ``m``, ``h``, ``d`` or a number of
seconds followed by ``s`` (``"30/10m"`` is not accepted: write ``"30/600s"``)."""

import functools
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from motcua.core.http import client_address
from motcua.core.models import RateCounter

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate | None:
    """``"60/h"`` → 60 per 3600 s; ``"0/h"`` or ``""`` → no limit (None)."""
    if not text.strip():
        return None
    match = _RATE.match(text)
    if match is None:
        raise ImproperlyConfigured(f"A rate is written like '60/h' or '20/300s', not {text!r}.")
    count, multiple, unit = int(match[1]), int(match[2] or 1), match[3]
    seconds = multiple * _UNITS[unit]
    if seconds <= 0:
        raise ImproperlyConfigured(f"The period of {text!r} is empty.")
    return Rate(count, seconds) if count > 0 else None


def hit(scope: str, key: str, rate: Rate | None, *, now: float | None = None) -> int:
    """Count one request of ``key`` in ``scope``; 0 if it is within ``rate``, otherwise the seconds until
    the window ends (for Retry-After)."""
    if rate is None:
        return 0
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    ends = (window + 1) * rate.seconds
    q = connection.ops.quote_name
    table = q(RateCounter._meta.db_table)
    scope_, key_, index_, expires_, hits_ = (
        q(n) for n in ("scope", "key", "window_index", "expires_at", "hits")
    )
    with connection.cursor() as cursor:
        # Names come from the model; every value is a parameter.
        cursor.execute(
            f"INSERT INTO {table} ({scope_}, {key_}, {index_}, {expires_}, {hits_}) "  # noqa: S608
            f"VALUES (%s, %s, %s, %s, 1) ON CONFLICT ({scope_}, {key_}, {index_}) "
            f"DO UPDATE SET {hits_} = {table}.{hits_} + 1 RETURNING {hits_}",
            [scope, key[:100], window, ends],
        )
        (hits,) = cursor.fetchone()
        if hits == 1:
            # A new window: forget the ones that have ended (keeps the table to the current windows).
            cursor.execute(f"DELETE FROM {table} WHERE {expires_} < %s", [int(now)])  # noqa: S608
    return 0 if hits <= rate.count else max(int(ends - now), 1)


def blocked(scope: str, key: str, rate: Rate | None, *, now: float | None = None) -> int:
    """Without counting: 0 if ``key`` is within ``rate`` in the current window, otherwise the seconds
    until the window ends (to refuse before the work when only failures are counted with ``hit``)."""
    if rate is None:
        return 0
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    hits = (
        RateCounter.objects.filter(scope=scope, key=key[:100], window_index=window)
        .values_list("hits", flat=True)
        .first()
    )
    return 0 if (hits or 0) < rate.count else max(int((window + 1) * rate.seconds - now), 1)


def rate_of(setting: str) -> Rate | None:
    return parse_rate(str(getattr(settings, setting, "") or ""))


def limited_page(scope: str, setting: str, *, counts: Callable[..., bool] = lambda request, **kwargs: True):
    """Decorate a page view: ``rate`` requests per client address (the setting named ``setting``), then
    a 429 page saying when to come back. ``counts(request, **view_kwargs)`` says which requests count."""

    def decorate(view):
        @functools.wraps(view)
        def limited(request, *args, **kwargs):
            if counts(request, **kwargs):
                wait = hit(scope, client_address(request) or "-", rate_of(setting))
                if wait:
                    return too_many_requests_page(request, wait)
            return view(request, *args, **kwargs)

        return limited

    return decorate


def too_many_requests_page(request, wait: int) -> HttpResponse:
    message = too_many_requests_message(wait)
    page = render_to_string("core/rate_limited.html", {"message": message}, request=request)
    response = HttpResponse(page, status=429)
    response["Retry-After"] = str(wait)
    return response


def too_many_requests_message(wait: int) -> str:
    minutes = max(math.ceil(wait / 60), 1)
    return _("Quá nhiều yêu cầu từ địa chỉ của ông/bà. Vui lòng thử lại sau %(minutes)s phút.") % {
        "minutes": minutes
    }
