"""Prototype of a faster staff inbox, for ``dossiers_read.py --prototype`` (PostgreSQL only).

Not used by the application. Same signature and result as motcua.dossiers.selectors.inbox; it shows
what the benchmark measures when:

- the sort key is one expression, ``COALESCE(due_at, 'infinity')`` then ``id`` (dossiers without a
  deadline last, as now), and the cursor is a row comparison on it,
  ``(COALESCE(due_at, 'infinity'), id) > (%s, %s)``: an index range condition, where the current
  ``due_at > x OR (due_at = x AND id > y) OR due_at IS NULL`` is not;
- an index on ``(holder_agency_id, status, COALESCE(due_at, 'infinity'), id)`` for the inbox
  statuses gives, for each (agency, status) pair, the dossiers already in inbox order, and a
  ``LATERAL`` join over the officer's agencies and the wanted statuses takes at most ``size + 1``
  rows from each pair before the final sort: the cost is bounded by (agencies x statuses x page),
  whatever the number of open dossiers. Today ``holder_agency_id IN (...)`` (two agencies or more)
  or a status filter makes PostgreSQL read and sort every open dossier that matches;
- the page's ids come from that query; the rows with their relations are then loaded by id.

Also served over HTTP: ``gunicorn --pythonpath bench inbox_prototype:application``.
"""

import datetime
import os

from django.db import connection
from django.utils import timezone

INDEX = "bench_dossier_inbox_status_sort_idx"
INBOX = (1, 2, 4, 5, 6, 9)
SORT = "COALESCE(x.due_at, 'infinity'::timestamptz)"
START = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)


def ensure_index() -> None:
    """The prototype's index, created in the benchmark database only (the application has none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON dossiers_dossier "
            "(holder_agency_id, status, (COALESCE(due_at, 'infinity'::timestamptz)), id) "
            f"WHERE status IN {INBOX}"
        )
        cursor.execute("ANALYZE dossiers_dossier")


def _decode(after: str | None) -> tuple[datetime.datetime | str, int]:
    if not after:
        return START, 0
    due_text, _sep, pk_text = after.partition("_")
    try:
        due: datetime.datetime | str = (
            "infinity" if due_text == "none" else datetime.datetime.fromisoformat(due_text)
        )
        return due, int(pk_text)
    except ValueError:
        return START, 0


def inbox(user, filters=None, *, after: str | None = None, size: int = 25):
    from motcua.accounts.selectors import visible_agencies
    from motcua.dossiers import selectors
    from motcua.dossiers.constants import OPEN_STATUSES
    from motcua.dossiers.models import Dossier

    filters = filters or selectors.InboxFilters()
    agencies = visible_agencies(user)
    if filters.agency:
        agencies = agencies.filter(code=filters.agency)
    agency_ids = list(agencies.values_list("pk", flat=True))
    statuses = list(INBOX)
    if filters.status is not None:
        statuses = [s for s in statuses if s == filters.status]
    now = timezone.now()
    extra, params = [], []
    if filters.overdue or filters.due_soon:
        statuses = [s for s in statuses if s in OPEN_STATUSES]
        if filters.overdue:
            extra.append(f"{SORT} < %s")
            params.append(now)
        else:
            extra.append(f"{SORT} >= %s AND {SORT} < %s")
            params += [now, now + selectors.DUE_SOON]
    if filters.mine:
        extra.append("x.holder_user_id = %s")
        params.append(user.pk)
    if filters.procedure:
        extra.append(
            "x.procedure_version_id IN (SELECT v.id FROM catalog_procedureversion v "
            "JOIN catalog_procedure p ON p.id = v.procedure_id WHERE p.code = %s)"
        )
        params.append(filters.procedure)
    if not agency_ids or not statuses:
        return selectors.Page(rows=[], next_cursor=None, has_previous=bool(after))
    due, last_pk = _decode(after)
    # "x.status IN (...)" lets the planner prove the partial index's predicate ("= s.status" alone does not).
    where = " AND ".join(
        [
            "x.holder_agency_id = a.id",
            "x.status = s.status",
            f"x.status IN {INBOX}",
            *extra,
            f"({SORT}, x.id) > (%s, %s)",
        ]
    )
    sql = (
        "SELECT d.id FROM unnest(%s::bigint[]) AS a(id) "
        "CROSS JOIN unnest(%s::smallint[]) AS s(status) "
        f"CROSS JOIN LATERAL (SELECT x.id, {SORT} AS sort_due FROM dossiers_dossier x WHERE {where} "
        f"ORDER BY {SORT}, x.id LIMIT %s) d "
        "ORDER BY d.sort_due, d.id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [agency_ids, statuses, *params, due, last_pk, size + 1, size + 1])
        ids = [row[0] for row in cursor.fetchall()]
    more = len(ids) > size
    ids = ids[:size]
    by_id = {d.pk: d for d in selectors._list_related(Dossier.objects.filter(pk__in=ids))}
    rows = [by_id[pk] for pk in ids if pk in by_id]
    cursor_text = None
    if more and rows:
        last = rows[-1]
        cursor_text = f"{last.due_at.isoformat() if last.due_at else 'none'}_{last.pk}"
    return selectors.Page(rows=rows, next_cursor=cursor_text, has_previous=bool(after))


def install() -> None:
    from motcua.dossiers import selectors

    selectors.inbox = inbox


def _application():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    install()
    return app


if os.environ.get("MOTCUA_BENCH_PROTOTYPE_WSGI") == "1":
    application = _application()
