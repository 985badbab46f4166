"""Staff search (tra cứu hồ sơ): every dossier an officer may see, in any status and period.

An officer finds a dossier by its code (exact or the beginning of it), the applicant's name (whole words,
without regard to case or diacritics: 'nguyen van an' finds 'Nguyễn Văn An'), an identity number (the
applicant's or the subject's), the procedure, the status, the receiving or holding agency and date
ranges (submitted, received, due, finished; local days, both ends included).

The scope is exactly ``selectors.visible_to(user)``: the dossiers the officer's agencies receive, hold,
decide or were consulted on (all of them for a province administrator); never a draft.

Order: newest first by the moment the dossier reached the administration, ``COALESCE(received_at,
submitted_at, created_at)`` (received, or submitted while waiting at reception), then by id, because
several dossiers can share a moment (a counter batch, an import) and a keyset page needs a total order.
Pages are keyset pages after a cursor, never an OFFSET, so page 100 costs what page 1 costs.

Two paths give the same rows in the same order (motcua/dossiers/tests/test_search_postgres.py compares them):

- PostgreSQL (``_ids_postgresql``): raw SQL over the indexes of migration dossiers/0005. A query whose
  own conditions match few dossiers in the province (the planner's estimate: a code, a name, a number,
  a status in a short range) has them read whole through their index, then keeps the officer's and
  sorts them. Otherwise the officer's dossiers are walked newest first, per agency and per way of seeing
  them (receiving, holding, deciding: ``(agency, moment, id)`` indexes), each walk cut at the page size;
  the dossiers seen only through a step (a consultation) come from a second statement bounded by the
  first one's last row. A province administrator sees every dossier: one walk of the moment index. The
  name is matched through a GIN index on the words of ``motcua_fold(applicant_name)`` (the SQL twin of
  motcua.core.text.fold). docs/performance.md has the figures and what was tried before.
- Anything else (``_ids_portable``, SQLite): the ORM over ``visible_to(user)`` with the same filters;
  ``motcua_fold`` is core.text.fold registered on the connection.
"""

import copy
import datetime
import json
from dataclasses import dataclass, fields
from typing import Any

from django.db import connection, transaction
from django.db.models import CharField, F, Func, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.constants import AccountKind
from motcua.accounts.models import User
from motcua.accounts.selectors import visible_agencies
from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion
from motcua.core.text import fold
from motcua.dossiers.constants import Status
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import Page, visible_to, with_related

# Statuses a search may ask for: every status but the draft, which staff never see.
SEARCH_STATUSES = [s for s in Status if s != Status.DRAFT]
DATE_RANGES = ("submitted", "received", "due", "finished")
MAX_SIZE = 100
MAX_NAME_WORDS = 8
# The page order's moment; the same text as the indexes of migration dossiers/0005.
_MOMENT = "COALESCE(d.received_at, d.submitted_at, d.created_at)"


@dataclass(frozen=True)
class DossierQuery:
    """What an officer searches for; empty fields do not filter. Agencies and the procedure are codes."""

    code: str = ""
    applicant: str = ""
    identity: str = ""
    procedure: str = ""
    status: int | None = None
    receiving_agency: str = ""
    holder_agency: str = ""
    submitted_from: datetime.date | None = None
    submitted_to: datetime.date | None = None
    received_from: datetime.date | None = None
    received_to: datetime.date | None = None
    due_from: datetime.date | None = None
    due_to: datetime.date | None = None
    finished_from: datetime.date | None = None
    finished_to: datetime.date | None = None

    def errors(self) -> dict[str, list[str]]:
        """What cannot be searched for, by field: an unknown status, a range that ends before it starts.
        The staff page and the API both ask this (malformed dates never get this far)."""
        found: dict[str, list[str]] = {}
        if self.status is not None and self.status not in SEARCH_STATUSES:
            found["status"] = [_("Trạng thái không hợp lệ.")]
        for name in DATE_RANGES:
            start, end = getattr(self, f"{name}_from"), getattr(self, f"{name}_to")
            if start is not None and end is not None and start > end:
                found[f"{name}_to"] = [_("Ngày kết thúc phải từ ngày bắt đầu trở đi.")]
        return found

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in ("", None) for f in fields(self))

    def name_words(self) -> list[str]:
        return fold(self.applicant).split()[:MAX_NAME_WORDS]

    def date_bounds(self) -> dict[str, tuple[datetime.datetime | None, datetime.datetime | None]]:
        """Each given range as [start of the first local day, start of the day after the last)."""
        bounds = {}
        for name in DATE_RANGES:
            start, end = getattr(self, f"{name}_from"), getattr(self, f"{name}_to")
            if start is None and end is None:
                continue
            bounds[name] = (
                _local_midnight(start) if start is not None else None,
                _local_midnight(end + datetime.timedelta(days=1)) if end is not None else None,
            )
        return bounds


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


# ---------------------------------------------------------------------------------------------
# Cursor


def encode_cursor(moment: datetime.datetime, pk: int) -> str:
    return f"{moment.isoformat()}_{pk}"


def decode_cursor(after: str | None) -> tuple[datetime.datetime, int] | None:
    """The (moment, id) of the last row of the previous page; InvalidInput on ``after`` for a cursor
    this search did not hand out (the API answers 422, the staff page starts again from page 1)."""
    if not after:
        return None
    moment_text, _sep, pk_text = after.rpartition("_")
    try:
        moment = datetime.datetime.fromisoformat(moment_text)
        pk = int(pk_text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or pk < 1:
        message = _("Con trỏ trang không hợp lệ.")
        raise InvalidInput(message, errors={"after": [message]})
    return moment, pk


# ---------------------------------------------------------------------------------------------
# The selector


def search(user: User, query: DossierQuery, *, after: str | None = None, size: int = 25) -> Page:
    """One page of the dossiers ``user`` may see that match ``query``, newest first, ``size`` at a time
    after the cursor ``after`` (a page's ``next_cursor``). Raises InvalidInput for a query with
    ``query.errors()`` or a mangled cursor."""
    errors = query.errors()
    if errors:
        raise InvalidInput(_("Điều kiện tra cứu không hợp lệ."), errors=errors)
    cursor = decode_cursor(after)
    size = min(max(size, 1), MAX_SIZE)
    if not user.is_authenticated or user.kind != AccountKind.STAFF:
        return Page(rows=[], next_cursor=None, has_previous=cursor is not None)  # staff only
    if connection.vendor == "postgresql":
        found = _ids_postgresql(user, query, cursor, size + 1)
    else:
        found = _ids_portable(user, query, cursor, size + 1)
    more = len(found) > size
    found = found[:size]
    by_id = {d.pk: d for d in with_related().filter(pk__in=[pk for pk, _moment in found])}
    rows = [by_id[pk] for pk, _moment in found if pk in by_id]
    next_cursor = encode_cursor(found[-1][1], found[-1][0]) if more and found else None
    return Page(rows=rows, next_cursor=next_cursor, has_previous=cursor is not None)


def _procedure_versions(code: str) -> list[int]:
    return list(ProcedureVersion.objects.filter(procedure__code=code.strip()).values_list("pk", flat=True))


def _agency_id(code: str) -> int | None:
    return Agency.objects.filter(code=code.strip().upper()).values_list("pk", flat=True).first()


def _code_prefix(code: str) -> str:
    return code.strip().upper()


def _code_pattern(code: str) -> str:
    """LIKE 'prefix%' with the prefix's own % and _ taken literally."""
    prefix = _code_prefix(code).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return prefix + "%"


# ---------------------------------------------------------------------------------------------
# Portable path (the ORM; SQLite)


class FoldedName(Func):
    """``' ' || motcua_fold(name) || ' '``: the folded words padded, so that ``LIKE '% word %'`` finds
    a whole word."""

    function = "motcua_fold"
    template = "(' ' || %(function)s(%(expressions)s) || ' ')"
    output_field = CharField()


def _register_fold() -> None:
    """motcua_fold on SQLite is core.text.fold itself (PostgreSQL has it from migration 0005)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.create_function("motcua_fold", 1, fold, deterministic=True)


def _ids_portable(user: User, query: DossierQuery, cursor, limit: int) -> list[tuple[int, Any]]:
    dossiers: QuerySet[Dossier] = visible_to(user)
    if query.code:
        dossiers = dossiers.filter(code__startswith=_code_prefix(query.code))
    words = query.name_words()
    if words:
        _register_fold()
        dossiers = dossiers.annotate(folded_name=FoldedName(F("applicant_name")))
        for word in words:
            dossiers = dossiers.filter(folded_name__contains=f" {word} ")
    if query.identity:
        identity = query.identity.strip()
        dossiers = dossiers.filter(Q(applicant_identity=identity) | Q(subject_identity=identity))
    if query.procedure:
        dossiers = dossiers.filter(procedure_version__in=_procedure_versions(query.procedure))
    if query.status is not None:
        dossiers = dossiers.filter(status=query.status)
    if query.receiving_agency:
        dossiers = dossiers.filter(receiving_agency=_agency_id(query.receiving_agency))
    if query.holder_agency:
        dossiers = dossiers.filter(holder_agency=_agency_id(query.holder_agency))
    for name, (start, end) in query.date_bounds().items():
        if start is not None:
            dossiers = dossiers.filter(**{f"{name}_at__gte": start})
        if end is not None:
            dossiers = dossiers.filter(**{f"{name}_at__lt": end})
    dossiers = dossiers.annotate(moment=Coalesce("received_at", "submitted_at", "created_at"))
    if cursor is not None:
        moment, pk = cursor
        dossiers = dossiers.filter(Q(moment__lt=moment) | Q(moment=moment, pk__lt=pk))
    return list(dossiers.order_by("-moment", "-pk").values_list("pk", "moment")[:limit])


# ---------------------------------------------------------------------------------------------
# PostgreSQL path


class _Sql:
    """WHERE conditions on ``dossiers_dossier d`` with their parameters (values are never in the text).

    A hint repeats a condition in a form an index can use (a reception range as a range of the moment);
    it changes no result, and is left out of the planner's estimate of how many dossiers match, which
    would otherwise count the same condition twice."""

    def __init__(self) -> None:
        self.conditions: list[str] = ["d.status <> 0"]
        self.params: list[Any] = []
        self.hints: list[str] = []
        self.hint_params: list[Any] = []

    def add(self, condition: str, *params: Any) -> None:
        self.conditions.append(condition)
        self.params.extend(params)

    def hint(self, condition: str, *params: Any) -> None:
        self.hints.append(condition)
        self.hint_params.extend(params)

    def where(self) -> str:
        return " AND ".join([*self.conditions, *self.hints])

    def all_params(self) -> list[Any]:
        return [*self.params, *self.hint_params]


def _filters_postgresql(query: DossierQuery) -> _Sql | None:
    """The query's conditions, or None when they cannot match anything (an unknown agency, procedure)."""
    sql = _Sql()
    if query.code:
        sql.add("d.code LIKE %s", _code_pattern(query.code))
    words = query.name_words()
    if words:
        # Exact words: the GIN index answers without a recheck, so motcua_fold runs on no row.
        sql.add(
            "to_tsvector('simple'::regconfig, motcua_fold(d.applicant_name)) "
            "@@ plainto_tsquery('simple'::regconfig, %s)",
            " ".join(words),
        )
    if query.identity:
        identity = query.identity.strip()
        sql.add(
            "(d.applicant_identity = %s OR (d.subject_identity = %s AND d.subject_identity <> ''))",
            identity,
            identity,
        )
    if query.procedure:
        versions = _procedure_versions(query.procedure)
        if not versions:
            return None
        sql.add("d.procedure_version_id = ANY(%s)", versions)
    if query.status is not None:
        sql.add("d.status = %s", query.status)
    for name, code in (("receiving", query.receiving_agency), ("holder", query.holder_agency)):
        if code:
            agency = _agency_id(code)
            if agency is None:
                return None
            sql.add(f"d.{name}_agency_id = %s", agency)
    for name, (start, end) in query.date_bounds().items():
        if start is not None:
            sql.add(f"d.{name}_at >= %s", start)
        if end is not None:
            sql.add(f"d.{name}_at < %s", end)
        if name == "received":
            # A received dossier's moment is its reception: the same range bounds the moment index.
            if start is not None:
                sql.hint(f"{_MOMENT} >= %s", start)
            if end is not None:
                sql.hint(f"{_MOMENT} < %s", end)
    return sql


# Per statement: a search reads a few dozen index entries, so neither parallel workers (their start
# costs more than the whole query here) nor JIT compilation pay off.
_SETTINGS = "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off"


def _fetch(sql: str, params: list[Any]) -> list[tuple[int, Any]]:
    with connection.cursor() as db:
        # Never a prepared statement: a search's best plan depends on its values (an agency with few
        # dossiers, a common name, a narrow range), and a generic plan would fit none of them.
        db.cursor.execute(sql, params, prepare=False)
        return [(row[0], row[1]) for row in db.fetchall()]


def _ids_postgresql(user: User, query: DossierQuery, cursor, limit: int) -> list[tuple[int, Any]]:
    filters = _filters_postgresql(query)
    agencies = list(visible_agencies(user).values_list("pk", flat=True))
    if filters is None or not agencies:
        return []
    everything = set(agencies) >= set(Agency.objects.values_list("pk", flat=True))
    with transaction.atomic():
        with connection.cursor() as db:
            db.execute(_SETTINGS)
        if _estimate(filters) <= CANDIDATES:
            return _candidate_ids(filters, None if everything else agencies, cursor, limit)
        if cursor is not None:
            filters.add(f"({_MOMENT}, d.id) < (%s, %s)", *cursor)
        order = f"ORDER BY {_MOMENT} DESC, d.id DESC LIMIT %s"
        if everything:
            # Every agency: every dossier's receiving agency is among them, so everything but drafts.
            sql = f"SELECT d.id, {_MOMENT} FROM dossiers_dossier d WHERE {filters.where()} {order}"  # noqa: S608
            return _fetch(sql, [*filters.all_params(), limit])
        return _officer_ids(filters, agencies, order, limit)


# A query that, by the planner's estimate, finds at most this many dossiers in the whole province is
# answered by reading them all (then keeping the officer's, newest first); one that finds more, by
# walking the officer's dossiers newest first until the page is full.
CANDIDATES = 20_000


def _estimate(filters: _Sql) -> float:
    """How many dossiers the query's own conditions find, as the planner estimates it (no execution)."""
    where = " AND ".join(filters.conditions)
    sql = f"EXPLAIN (FORMAT JSON) SELECT 1 FROM dossiers_dossier d WHERE {where}"  # noqa: S608
    with connection.cursor() as db:
        db.cursor.execute(sql, filters.params, prepare=False)
        plan = db.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return float(plan[0]["Plan"]["Plan Rows"])


def _candidate_ids(filters: _Sql, agencies: list[int] | None, cursor, limit: int) -> list[tuple[int, Any]]:
    # MATERIALIZED: the matches are read through the best index for them (a name's words, a code's
    # prefix, a number, a status in a range), then sorted; otherwise the planner may walk the moment index
    # from today back to them (a code carries its day, which the planner does not know). The cursor and
    # the officer's agencies apply to the matches, outside, where they cannot steer the index choice.
    where, params = ["TRUE"], []
    if cursor is not None:
        where.append("(c.moment, c.id) < (%s, %s)")
        params += list(cursor)
    if agencies is not None:
        # The step's test is a scalar subquery, run only for a match that none of its three agencies
        # makes the officer's: an EXISTS could be hashed over every step of the officer's agencies.
        where.append(
            "(c.receiving_agency_id = ANY(%s) OR c.holder_agency_id = ANY(%s) "
            "OR c.deciding_agency_id = ANY(%s) OR (SELECT TRUE FROM dossiers_step s "
            "WHERE s.dossier_id = c.id AND s.agency_id = ANY(%s) LIMIT 1))"
        )
        params += [agencies] * 4
    sql = (
        f"WITH c AS MATERIALIZED (SELECT d.id, {_MOMENT} AS moment, d.receiving_agency_id, "  # noqa: S608
        f"d.holder_agency_id, d.deciding_agency_id FROM dossiers_dossier d WHERE {filters.where()}) "
        f"SELECT c.id, c.moment FROM c WHERE {' AND '.join(where)} "
        "ORDER BY c.moment DESC, c.id DESC LIMIT %s"
    )
    return _fetch(sql, [*filters.all_params(), *params, limit])


def _officer_ids(filters: _Sql, agencies: list[int], order: str, limit: int) -> list[tuple[int, Any]]:
    # One branch per agency and column, each with its agency as a value, so that the planner sees how
    # many dossiers that agency has there (none, or a third of the province) and picks its index.
    # Only fixed fragments are joined into the text; every value is a parameter.
    branch = f"(SELECT d.id, {_MOMENT} AS moment FROM dossiers_dossier d WHERE d.{{column}} = %s AND "  # noqa: S608
    branch += f"{filters.where()} {order})"
    branches, params = [], []
    for column in ("receiving_agency_id", "holder_agency_id", "deciding_agency_id"):
        for agency in agencies:
            branches.append(branch.format(column=column))
            params += [agency, *filters.all_params(), limit]
    sql = f"SELECT id, moment FROM ({' UNION ALL '.join(branches)}) u ORDER BY moment DESC, id DESC"  # noqa: S608
    found = _top(_fetch(sql, params), limit)
    # Dossiers seen only through a step (consulted agencies): only those newer than the page's last row
    # so far can belong to it, which keeps this walk short when the agency's own dossiers are many.
    consulted = copy.deepcopy(filters)
    if len(found) == limit:
        pk, moment = found[-1]
        consulted.add(f"({_MOMENT}, d.id) > (%s, %s)", moment, pk)
    consulted.add(
        "EXISTS (SELECT 1 FROM dossiers_step s WHERE s.dossier_id = d.id AND s.agency_id = ANY(%s))",
        agencies,
    )
    sql = f"SELECT d.id, {_MOMENT} FROM dossiers_dossier d WHERE {consulted.where()} {order}"  # noqa: S608
    return _top([*found, *_fetch(sql, [*consulted.all_params(), limit])], limit)


def _top(rows: list[tuple[int, Any]], limit: int) -> list[tuple[int, Any]]:
    """The first ``limit`` distinct dossiers, newest first (a dossier may come from several branches)."""
    merged = dict(rows)
    return sorted(merged.items(), key=lambda row: (row[1], row[0]), reverse=True)[:limit]
