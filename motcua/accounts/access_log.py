"""The personal-data access log (nhật ký truy cập dữ liệu cá nhân): every read of a dossier's personal
data by an officer (staff pages, API) or an API client writes one row, and a supervisor searches them.

Cheap by design: one INSERT per request, from what the page or answer already holds in memory (the
dossiers' codes and identity numbers); a list writes one row with the codes it showed.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from motcua.accounts.constants import AccessChannel, AccountKind
from motcua.accounts.models import AccessLogEntry, ApiClient, User
from motcua.core import clock
from motcua.core.http import client_address

# A list longer than this keeps its first codes only (a CSV export of the register may list thousands).
MAX_CODES = 500


def _joined(values: Iterable[str]) -> str:
    seen: dict[str, None] = {}
    for value in values:
        value = (value or "").strip()
        if value and " " not in value:
            seen.setdefault(value, None)
        if len(seen) >= MAX_CODES:
            break
    return f" {' '.join(seen)} " if seen else ""


def _who(request: Any) -> tuple[User | None, ApiClient | None]:
    client = getattr(request, "api_client", None)
    if client is not None:
        return None, client
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user, None
    return None, None


def is_logged(request: Any) -> bool:
    """Reads by officers, operators (anyone with access to the admin) and API clients are logged; an
    applicant reading their own dossier is not."""
    user, client = _who(request)
    return client is not None or (user is not None and (user.kind == AccountKind.STAFF or user.is_staff))


def record_read(
    request: Any,
    *,
    purpose: str,
    object_type: str = "dossier",
    dossiers: Iterable[Any] = (),
    codes: Iterable[str] = (),
    identities: Iterable[str] = (),
    count: int | None = None,
    allowed: bool = True,
    reason: str = "",
    channel: str | None = None,
) -> AccessLogEntry | None:
    """Write one row for ``request`` (None when nothing is to be logged: an applicant, a visitor).

    ``dossiers`` are the dossiers read (their ``code``, ``applicant_identity`` and ``subject_identity``
    attributes are read, never queried); ``codes`` adds references without a dossier at hand (a refused
    request for a code, an account's user name), ``identities`` the identity numbers they showed,
    ``count`` how many records were read when they are not dossiers."""
    if not is_logged(request):
        return None
    user, client = _who(request)
    rows = list(dossiers)
    all_codes = [getattr(d, "code", "") or str(getattr(d, "public_id", "")) for d in rows]
    all_codes += list(codes)
    shown = [getattr(d, "applicant_identity", "") for d in rows]
    shown += [getattr(d, "subject_identity", "") for d in rows]
    shown += list(identities)
    if channel is None:
        channel = AccessChannel.API if request.path.startswith("/api/") else AccessChannel.PAGE
    return AccessLogEntry.objects.create(
        at=clock.now(),
        user=user,
        client=client,
        channel=channel,
        purpose=purpose[:100],
        object_type=object_type[:40],
        codes=_joined(all_codes),
        identities=_joined(shown),
        count=len(rows) if count is None else count,
        address=client_address(request),
        allowed=allowed,
        reason=reason[:300],
    )


@dataclass(frozen=True)
class LogQuery:
    identity: str = ""
    officer: str = ""
    client: str = ""
    code: str = ""
    day_from: datetime.date | None = None
    day_to: datetime.date | None = None
    refused_only: bool = False


def _day_start(day: datetime.date) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def search(query: LogQuery) -> QuerySet[AccessLogEntry]:
    """The rows matching every condition given, newest first. A person is found by their identity
    number, an officer by username, a client by client_id, a dossier by its full code; dates are
    local days, both ends included."""
    rows = AccessLogEntry.objects.select_related("user", "client")
    if query.identity:
        rows = rows.filter(identities__contains=f" {query.identity.strip()} ")
    if query.code:
        rows = rows.filter(codes__contains=f" {query.code.strip().upper()} ")
    if query.officer:
        rows = rows.filter(user__username=query.officer.strip())
    if query.client:
        rows = rows.filter(client__client_id=query.client.strip())
    if query.day_from:
        rows = rows.filter(at__gte=_day_start(query.day_from))
    if query.day_to:
        rows = rows.filter(at__lt=_day_start(query.day_to + datetime.timedelta(days=1)))
    if query.refused_only:
        rows = rows.filter(allowed=False)
    return rows.order_by("-at", "-id")


def page_after(rows: QuerySet[AccessLogEntry], after: str | None, size: int) -> tuple[list, str | None]:
    """Keyset pages over (at, id) descending: ``size`` rows after the cursor ``after``, and the next
    cursor (None on the last page). A mangled cursor starts from the first page."""
    if after:
        try:
            moment, _sep, pk = after.rpartition("_")
            rows = rows.filter(
                Q(at__lt=datetime.datetime.fromisoformat(moment))
                | Q(at=datetime.datetime.fromisoformat(moment), pk__lt=int(pk))
            )
        except ValueError:
            pass
    found = list(rows[: size + 1])
    cursor = None
    if len(found) > size:
        last = found[size - 1]
        cursor = f"{last.at.isoformat()}_{last.pk}"
    return found[:size], cursor


def prune(*, older_than: datetime.datetime) -> int:
    """Delete the rows written before ``older_than`` (retention); how many."""
    deleted, _detail = AccessLogEntry.objects.filter(at__lt=older_than).delete()
    return deleted
