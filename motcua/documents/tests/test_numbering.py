"""Numbers restart at 01 on 1 January; the notation follows Decree 30 Appendix I."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.core import clock
from motcua.documents import numbering, rendering
from motcua.documents.constants import Status
from motcua.documents.tests.factories import issued, signed

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args):
    moment = datetime.datetime(*args, tzinfo=VN)
    return lambda: moment


def test_numbers_restart_at_01_on_the_first_of_january(bureau):
    with clock.using(at(2026, 12, 31, 16, 0)):
        first = issued(bureau)
        second = issued(bureau)
    with clock.using(at(2027, 1, 1, 8, 0)):
        new_year = issued(bureau)
    assert (first.number, first.year, first.notation) == (1, 2026, "01/QĐ-UBND")
    assert (second.number, second.year) == (2, 2026)
    assert (new_year.number, new_year.year, new_year.notation) == (1, 2027, "01/QĐ-UBND")
    assert new_year.issued_on == datetime.date(2027, 1, 1)


def test_the_number_is_given_when_issued_not_when_signed(bureau):
    with clock.using(at(2026, 12, 31, 16, 0)):
        document = signed(bureau)
    assert document.number is None
    with clock.using(at(2027, 1, 2, 8, 0)):
        from motcua.documents import services

        services.issue(document, actor=bureau.clerk)
    assert document.status == Status.ISSUED and (document.year, document.number) == (2027, 1)


@pytest.mark.parametrize(
    "number, kind, agency, unit, expected",
    [
        (5, "QĐ", "UBND", "", "05/QĐ-UBND"),
        (123, "TB", "STP", "", "123/TB-STP"),
        (123, "", "UBND", "VP", "123/UBND-VP"),
        (7, "", "UBND", "", "07/UBND"),
        (None, "TTr", "UBND", "", "/TTr-UBND"),
    ],
)
def test_notations(number, kind, agency, unit, expected):
    assert numbering.notation(number, kind, agency, unit) == expected


def test_the_date_line_writes_a_leading_zero_for_days_below_10_and_january_and_february():
    assert rendering.date_line(datetime.date(2026, 3, 5)) == "ngày 05 tháng 3 năm 2026"
    assert rendering.date_line(datetime.date(2026, 2, 15)) == "ngày 15 tháng 02 năm 2026"
    assert rendering.date_line(datetime.date(2026, 11, 20)) == "ngày 20 tháng 11 năm 2026"
