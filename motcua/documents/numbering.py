"""Numbers and notations of official documents (Decree 30/2020, Appendix I, II.3).

A number is given when the document is issued (outgoing) or entered in the incoming register, never
before: one INSERT … ON CONFLICT DO UPDATE … RETURNING on the register's counter for the year, which
the database serialises per (register, year) row, so two issues at the same instant never share a
number and none is skipped. Numbers restart at 01 on 1 January: a new year is a new counter row.

The notation (số, ký hiệu):

- a document with a type name: ``{number}/{type abbreviation}-{agency abbreviation}``, e.g.
  ``05/QĐ-UBND`` (a decision of a people's committee);
- a công văn (and a thư công), whose type has no abbreviation: ``{number}/{agency abbreviation}-{drafting
  unit abbreviation}``, e.g. ``123/UBND-VP``; without a unit, ``123/UBND``.

Numbers below 10 are written with a leading zero ("05").
"""

from django.db import connection

from motcua.documents.models import RegisterCounter

_NEXT_NUMBER_SQL = (
    "INSERT INTO {table} (register_id, year, last) VALUES (%s, %s, 1) "
    "ON CONFLICT (register_id, year) DO UPDATE SET last = {table}.last + 1 "
    "RETURNING last"
)


def next_number(register_id: int, year: int) -> int:
    """The next number of ``register`` in ``year`` (1 for the first of the year)."""
    sql = _NEXT_NUMBER_SQL.format(table=connection.ops.quote_name(RegisterCounter._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, [register_id, year])
        (number,) = cursor.fetchone()
    return int(number)


def format_number(number: int) -> str:
    return f"{number:02d}"


def notation_suffix(type_abbreviation: str, agency_abbreviation: str, unit_abbreviation: str = "") -> str:
    """What follows the number: "QĐ-UBND", or for a công văn "UBND-VP"."""
    parts = [type_abbreviation] if type_abbreviation else []
    parts.append(agency_abbreviation or "")
    if not type_abbreviation and unit_abbreviation:
        parts.append(unit_abbreviation)
    return "-".join(p for p in parts if p)


def notation(
    number: int | None, type_abbreviation: str, agency_abbreviation: str, unit_abbreviation: str = ""
) -> str:
    """``05/QĐ-UBND``; with no number yet (a draft) the number is left blank: ``/QĐ-UBND``."""
    head = format_number(number) if number is not None else ""
    return f"{head}/{notation_suffix(type_abbreviation, agency_abbreviation, unit_abbreviation)}"
