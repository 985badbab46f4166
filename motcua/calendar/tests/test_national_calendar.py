"""What the holidays package says about the years the due-date table relies on.

If a new release of `holidays` changes these days, the hand-worked table in test_due_dates.py needs
checking too: these tests say which assumption broke.
"""

import datetime

from motcua.calendar.constants import DayKind
from motcua.calendar.workdays import WorkCalendar


def days_off(calendar, first, last):
    return [day.date.isoformat() for day in calendar.days_between(first, last) if not day.is_working_day]


def test_tet_2026_is_saturday_14_to_sunday_22_february():
    calendar = WorkCalendar()

    assert days_off(calendar, datetime.date(2026, 2, 13), datetime.date(2026, 2, 23)) == [
        f"2026-02-{n}" for n in range(14, 23)
    ]
    assert calendar.day(datetime.date(2026, 2, 16)).reason == "Giao thừa Tết Nguyên Đán"
    assert calendar.day(datetime.date(2026, 2, 20)).reason == "Mùng bốn Tết Nguyên Đán"


def test_tet_2027_is_thursday_4_to_wednesday_10_february():
    calendar = WorkCalendar()

    assert days_off(calendar, datetime.date(2027, 2, 3), datetime.date(2027, 2, 11)) == [
        f"2027-02-{n:02d}" for n in range(4, 11)
    ]
    assert calendar.day(datetime.date(2027, 2, 4)).reason == "29 Tết"
    # Tết falls on the weekend: a holiday name wins over "weekend".
    assert calendar.day(datetime.date(2027, 2, 6)).kind == DayKind.HOLIDAY


def test_national_day_2026_swaps_monday_31_august_for_saturday_22_august():
    calendar = WorkCalendar()

    assert days_off(calendar, datetime.date(2026, 8, 28), datetime.date(2026, 9, 3)) == [
        "2026-08-29",
        "2026-08-30",
        "2026-08-31",
        "2026-09-01",
        "2026-09-02",
    ]
    saturday = calendar.day(datetime.date(2026, 8, 22))
    assert (saturday.is_working_day, saturday.kind) == (True, DayKind.MAKEUP)
    assert saturday.reason == "làm bù cho ngày nghỉ 31/08/2026"


def test_april_may_2026_and_hung_kings_day_in_lieu():
    calendar = WorkCalendar()

    assert days_off(calendar, datetime.date(2026, 4, 24), datetime.date(2026, 5, 4)) == [
        "2026-04-25",
        "2026-04-26",
        "2026-04-27",
        "2026-04-30",
        "2026-05-01",
        "2026-05-02",
        "2026-05-03",
    ]
    assert calendar.day(datetime.date(2026, 4, 27)).reason == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"


def test_ordinary_weekend_and_weekday():
    calendar = WorkCalendar()

    assert calendar.day(datetime.date(2026, 3, 14)).kind == DayKind.WEEKEND
    assert calendar.day(datetime.date(2026, 3, 14)).is_working_day is False
    assert calendar.day(datetime.date(2026, 3, 13)).is_working_day is True
    assert calendar.next_working_day(datetime.date(2026, 3, 13)) == datetime.date(2026, 3, 16)
