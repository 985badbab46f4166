"""Dossier codes: {agency identifier}-{YYMMDD}-{NNNN}, a daily sequence per receiving agency.

The number comes from one INSERT ... ON CONFLICT DO UPDATE ... RETURNING statement, which the
database serialises per (agency, day) row: two receptions at the same instant never share a number.
"""

import datetime

from django.db import connection

from motcua.agencies.models import Agency
from motcua.dossiers.models import DailySequence

_NEXT_NUMBER_SQL = (
    "INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, 1) "
    "ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + 1 "
    "RETURNING last"
)


def next_number(agency: Agency, day: datetime.date) -> int:
    sql = _NEXT_NUMBER_SQL.format(table=connection.ops.quote_name(DailySequence._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, [agency.pk, day])
        (number,) = cursor.fetchone()
    return int(number)


def code_prefix(agency: Agency, day: datetime.date) -> str:
    return f"{agency.code}-{day:%y%m%d}-"


def format_code(agency: Agency, day: datetime.date, number: int) -> str:
    return f"{code_prefix(agency, day)}{number:04d}"


def next_code(agency: Agency, day: datetime.date) -> str:
    return format_code(agency, day, next_number(agency, day))
