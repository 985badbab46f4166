"""Login throttling with growing delays, on django-axes' records of failed and successful logins.

django-axes records every failed login (``AccessAttempt``: account, client address, browser, count,
last time) and every success (``AccessLog``), on every path that calls ``authenticate()``: the site's
login, the admin's and ``POST /api/auth/token``. Before a password is checked,
``accounts.backends.ThrottleBackend`` asks ``wait_seconds``:

- **per client address**: past MOTCUA_LOGIN_FREE_FAILURES_PER_ADDRESS failures from one address (any
  accounts, named or not), each further attempt from it waits;
- **per account**: past MOTCUA_LOGIN_FREE_FAILURES_PER_ACCOUNT failures on one account, each further
  attempt on it waits. An address the account has logged in from before counts only its own failures:
  a stranger guessing from elsewhere slows the guessing, never its owner at home.

The wait is MOTCUA_LOGIN_FIRST_DELAY_SECONDS after the last failure, doubled at each further failure,
at most MOTCUA_LOGIN_LONGEST_DELAY_SECONDS; a refused attempt is not a failure, and failures are
forgotten a day after the last (AXES_COOLOFF_TIME), or for the account and address at a success.
Accounts are counted by the name django-axes records (``account_key``): the account's username
whichever identifier was typed (email, phone, identity number), or the identifier itself when no
account has it, so that an unknown name is throttled exactly like a known one.
"""

import math

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.selectors import find_user
from motcua.core.text import clean_text


def account_key(request, credentials: dict | None) -> str:
    """The name failures of this login are recorded under (AXES_USERNAME_CALLABLE)."""
    identifier = str((credentials or {}).get("username") or "")
    cache = getattr(request, "_login_account_keys", None) if request is not None else None
    if cache is not None and identifier in cache:
        return cache[identifier]
    user = find_user(identifier)
    key = user.username if user is not None else clean_text(identifier).lower()[:255]
    if request is not None:
        if cache is None:
            cache = request._login_account_keys = {}
        cache[identifier] = key
    return key


def _delay(failures: int, free: int) -> float:
    """Seconds to wait after the last of ``failures``; 0 within the free ones."""
    if failures < free:
        return 0.0
    first = settings.MOTCUA_LOGIN_FIRST_DELAY_SECONDS
    longest = settings.MOTCUA_LOGIN_LONGEST_DELAY_SECONDS
    return float(min(first * 2 ** min(failures - free, 30), longest))


def _left(rows, free: int, now) -> float:
    figures = rows.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if not figures["failures"]:
        return 0.0
    delay = _delay(figures["failures"], free)
    return max(delay - (now - figures["last"]).total_seconds(), 0.0) if delay else 0.0


def wait_seconds(request, identifier: str) -> int:
    """Whole seconds this login attempt must still wait (0: go ahead)."""
    AxesProxyHandler.update_request(request)
    address = request.axes_ip_address
    now = timezone.now()
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - settings.AXES_COOLOFF_TIME)
    left = 0.0
    if address:
        left = _left(recent.filter(ip_address=address), settings.MOTCUA_LOGIN_FREE_FAILURES_PER_ADDRESS, now)
    key = account_key(request, {"username": identifier})
    if key and not left:
        account = recent.filter(username=key)
        if address and AccessLog.objects.filter(username=key, ip_address=address).exists():
            account = account.filter(ip_address=address)
        left = _left(account, settings.MOTCUA_LOGIN_FREE_FAILURES_PER_ACCOUNT, now)
    return math.ceil(left)


def wait_message(seconds: int) -> str:
    """The same words whether or not the account exists."""
    minutes = max(math.ceil(seconds / 60), 1)
    return _("Đăng nhập không thành công quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.") % {
        "minutes": minutes
    }


def generic_failure() -> str:
    return _("Tên đăng nhập hoặc mật khẩu không đúng.")


def lockout_response(request, original_response, credentials):
    """AXES_LOCKOUT_CALLABLE: the login views already answered a throttled attempt (429 with the wait)."""
    return original_response
