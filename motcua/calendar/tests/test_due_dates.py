"""Due dates worked out by hand on the real 2026–2027 calendar (holidays.Vietnam 0.109).

Defaults: working hours 07:30–11:30 and 13:00–17:00 (8 h = 1 working day), reception cut-off 15:00.
Days off used below, as the library gives them:
  Tết 2026: Mon 16 – Fri 20 Feb (giao thừa .. mùng 4), with the weekends: Sat 14 – Sun 22 Feb off.
  Tết 2027: Thu 4 – Wed 10 Feb (29 Tết .. mùng 5; Sat 6 / Sun 7 are Tết days).
  30/4 – 1/5 2026: Sun 26 Apr Hùng Kings (Mon 27 Apr in lieu), Thu 30 Apr, Fri 1 May, Sat 2 – Sun 3 May.
  2/9 2026: Mon 31 Aug (swapped for the make-up Saturday 22 Aug), Tue 1 and Wed 2 Sep; Sat 29 – Wed 2 off.
  24/11 2026: Vietnamese Culture Day (Tue).
"""

from decimal import Decimal

import pytest

from motcua.calendar.selectors import compute_due
from motcua.calendar.tests.factories import CalendarOverrideFactory, at

pytestmark = pytest.mark.django_db

WD, CD, WH = "working_days", "calendar_days", "working_hours"
FRI_13_MARCH = "2026-03-13"


def row(name, received, amount, unit, expected, *, pauses=(), overrides=(), agency=True):
    """One due date. ``overrides``: (scope, date, is_working_day) with scope province/agency/other."""
    return pytest.param(received, amount, unit, expected, pauses, overrides, agency, id=name)


ROWS = [
    # --- Tết 2026 ---
    # Thu 09:00→17:00 6.5 h, Fri 13 8 h (14.5), Sat 14–Sun 22 off, Mon 23 8 h (22.5), Tue 24 07:30+1.5 h.
    row("tet-2026-3-days", "2026-02-12 09:00", "3", WD, "2026-02-24 09:00"),
    # 15:30 is after the cut-off; the next working morning is Mon 23 Feb 07:30, plus 8 h.
    row("tet-2026-after-cutoff-on-last-day", "2026-02-13 15:30", "1", WD, "2026-02-23 17:00"),
    # Received online on Tết day (a day off): counted from Mon 23 07:30; 0.5 day = 4 h → 11:30.
    row("tet-2026-received-during-tet", "2026-02-17 10:00", "0.5", WD, "2026-02-23 11:30"),
    # Tue 10 + 5 calendar days = Sun 15, inside the break; first working day after is Mon 23, closing time.
    row("tet-2026-calendar-days", "2026-02-10 10:00", "5", CD, "2026-02-23 17:00"),
    # --- Tết 2027 ---
    # Wed 3 Feb 10:00→17:00 5.5 h, Thu 4–Wed 10 off, Thu 11 8 h (13.5), Fri 12 07:30+2.5 h → 10:00.
    row("tet-2027-2-days", "2027-02-03 10:00", "2", WD, "2027-02-12 10:00"),
    # After the cut-off on the last working day before Tết: counted from Thu 11 Feb 07:30.
    row("tet-2027-after-cutoff", "2027-02-03 15:01", "1", WD, "2027-02-11 17:00"),
    # Mon 1 Feb + 7 = Mon 8 Feb (mùng 3 Tết); next working day Thu 11 Feb.
    row("tet-2027-calendar-days", "2027-02-01 09:00", "7", CD, "2027-02-11 17:00"),
    # 8 working hours: Wed 14:00→17:00 3 h, then Thu 11 Feb 07:30–11:30 4 h and 13:00+1 h.
    row("tet-2027-working-hours", "2027-02-03 14:00", "8", WH, "2027-02-11 14:00"),
    # --- 30 April – 1 May 2026 ---
    # Fri 24 Apr 14:00→17:00 3 h; Sat 25–Mon 27 off; Tue 28 8 h (11); Wed 29 8 h (19);
    # Thu 30 Apr–Sun 3 May off; Mon 4 May 4 h morning (23) + 1 h afternoon → 14:00.
    row("april-may-3-days", "2026-04-24 14:00", "3", WD, "2026-05-04 14:00"),
    # Wed 29 Apr 16:00 is after the cut-off, and 30/4–3/5 are off: counted from Mon 4 May 07:30, +4 h.
    row("april-may-after-cutoff", "2026-04-29 16:00", "0.5", WD, "2026-05-04 11:30"),
    # Tue 28 Apr + 2 = Thu 30 Apr (holiday); 1 May holiday, 2–3 May weekend → Mon 4 May.
    row("april-may-calendar-days", "2026-04-28 09:00", "2", CD, "2026-05-04 17:00"),
    # --- 2 September 2026 ---
    # Thu 27 Aug 10:00→17:00 5.5 h, Fri 28 8 h (13.5), Sat 29 Aug–Wed 2 Sep off, Thu 3 Sep 07:30+2.5 h.
    row("national-day-2-days", "2026-08-27 10:00", "2", WD, "2026-09-03 10:00"),
    # Fri 28 Aug + 4 = Tue 1 Sep (Quốc khánh); Wed 2 Sep too → Thu 3 Sep.
    row("national-day-calendar-days", "2026-08-28 09:00", "4", CD, "2026-09-03 17:00"),
    # Monday 31 Aug is off in exchange for Sat 22 Aug: Fri 28 Aug 09:00 + 1 day skips Sat 29 – Wed 2 Sep.
    row("national-day-swapped-monday", "2026-08-28 09:00", "1", WD, "2026-09-03 09:00"),
    # --- the make-up Saturday 22 August 2026 is a working day ---
    # Fri 21 Aug 09:00→17:00 6.5 h, Sat 22 Aug 07:30+1.5 h → 09:00 on the Saturday.
    row("makeup-saturday-counted", "2026-08-21 09:00", "1", WD, "2026-08-22 09:00"),
    # Received on the make-up Saturday itself: 08:00→11:30 3.5 h + 4 h (7.5), Sun off, Mon 24 07:30+0.5 h.
    row("received-on-makeup-saturday", "2026-08-22 08:00", "1", WD, "2026-08-24 08:00"),
    # After the cut-off on Friday: the next working morning is the make-up Saturday.
    row("makeup-saturday-after-cutoff", "2026-08-21 15:01", "1", WD, "2026-08-22 17:00"),
    # Wed 19 Aug + 3 = Sat 22 Aug, a working day, so a calendar-day deadline may end on it.
    row("calendar-days-end-on-makeup-saturday", "2026-08-19 10:00", "3", CD, "2026-08-22 17:00"),
    # --- the 15:00 reception cut-off ---
    # 14:59 counts the same day: Tue 14:59→17:00 2 h 01, Wed 4 h morning (6 h 01) + 1 h 59 → 14:59.
    row("cutoff-14-59-same-day", "2026-03-10 14:59", "1", WD, "2026-03-11 14:59"),
    # 15:01 counts from Wed 11 Mar 07:30: 8 h → Wed 17:00.
    row("cutoff-15-01-next-morning", "2026-03-10 15:01", "1", WD, "2026-03-11 17:00"),
    # At 15:00 sharp the dossier is not yet "after 15:00": counted from 15:00, due Wed 15:00.
    row("cutoff-15-00-same-day", "2026-03-10 15:00", "1", WD, "2026-03-11 15:00"),
    # --- received outside working hours on a working day ---
    # Lunch break: counting starts at 13:00; Mon afternoon 4 h + Tue morning 4 h. The count is used up at
    # 11:30, and the deadline is that instant, not the 13:00 reopening.
    row("received-at-lunch", "2026-03-09 12:00", "1", WD, "2026-03-10 11:30"),
    # Before opening: counting starts at 07:30, 8 h → same day 17:00.
    row("received-before-opening", "2026-03-09 06:45", "1", WD, "2026-03-09 17:00"),
    # --- pauses (request to supplement) ---
    # Without the pause: Mon 16 Mar 09:00.
    # The pause Wed 11 09:00 → Mon 16 09:00 holds 2.5+4, 8, 8, 1.5 = 24 h = 3 working days.
    # Mon 9: 6.5 h, Tue 8 (14.5), Wed 1.5 (16) | pause | Mon 16 6.5 (22.5), Tue 8, Wed 8 (38.5), Thu 19 +1.5.
    row(
        "pause-3-working-days",
        "2026-03-09 09:00",
        "5",
        WD,
        "2026-03-19 09:00",
        pauses=[("2026-03-11 09:00", "2026-03-16 09:00")],
    ),
    # Calendar days: Mon 2 + 10 = Thu 12; the 3-day pause (Tue 3 10:00 → Fri 6 10:00) gives Sun 15 → Mon 16.
    row(
        "pause-calendar-days",
        "2026-03-02 10:00",
        "10",
        CD,
        "2026-03-16 17:00",
        pauses=[("2026-03-03 10:00", "2026-03-06 10:00")],
    ),
    # A pause that starts after the deadline (already overdue) changes nothing: Mon 09:00 + 1 day = Tue 09:00.
    row(
        "pause-after-deadline-ignored",
        "2026-03-09 09:00",
        "1",
        WD,
        "2026-03-10 09:00",
        pauses=[("2026-03-11 09:00", "2026-03-13 09:00")],
    ),
    # --- calendar-day durations ending on a weekend ---
    # Mon 2 Mar + 5 = Sat 7 Mar → Mon 9 Mar.
    row("calendar-days-end-on-saturday", "2026-03-02 10:00", "5", CD, "2026-03-09 17:00"),
    # After the cut-off on Friday: counted from Mon 9 Mar, + 1 calendar day = Tue 10 Mar.
    row("calendar-days-after-cutoff", "2026-03-06 16:00", "1", CD, "2026-03-10 17:00"),
    # --- fractional days ---
    # 0.5 day = 4 h: Mon 09:00→11:30 2.5 h, 13:00+1.5 h → 14:30.
    row("half-day", "2026-03-09 09:00", "0.5", WD, "2026-03-09 14:30"),
    # 1.5 days = 12 h: Mon 6.5 h, Tue 07:30–11:30 4 h (10.5), 13:00+1.5 h → Tue 14:30.
    row("one-and-a-half-days", "2026-03-09 09:00", "1.5", WD, "2026-03-10 14:30"),
    # 0.25 day = 2 h across lunch: 10:30→11:30 1 h, 13:00+1 h → 14:00.
    row("quarter-day-across-lunch", "2026-03-09 10:30", "0.25", WD, "2026-03-09 14:00"),
    # 4 working hours from 10:00: 1.5 h morning + 2.5 h from 13:00 → 15:30.
    row("working-hours", "2026-03-09 10:00", "4", WH, "2026-03-09 15:30"),
    # --- 24 November 2026, Vietnamese Culture Day (new from 2026) ---
    # Mon 23 Nov 09:00→17:00 6.5 h, Tue 24 off, Wed 25 07:30+1.5 h.
    row("culture-day-2026", "2026-11-23 09:00", "1", WD, "2026-11-25 09:00"),
    # --- local overrides on Fri 13 March 2026 ---
    # Province-wide day off: Thu 12 6.5 h, Fri 13 off, weekend, Mon 16 07:30+1.5 h.
    row(
        "province-day-off",
        "2026-03-12 09:00",
        "1",
        WD,
        "2026-03-16 09:00",
        overrides=[("province", FRI_13_MARCH, False)],
    ),
    # The same day off decided for this agency only.
    row(
        "agency-day-off",
        "2026-03-12 09:00",
        "1",
        WD,
        "2026-03-16 09:00",
        overrides=[("agency", FRI_13_MARCH, False)],
    ),
    # Another agency's day off does not apply: Thu 6.5 h + Fri 1.5 h → Fri 09:00.
    row(
        "other-agency-day-off-ignored",
        "2026-03-12 09:00",
        "1",
        WD,
        "2026-03-13 09:00",
        overrides=[("other", FRI_13_MARCH, False)],
    ),
    # An agency's day off is not in the province calendar (no agency given).
    row(
        "agency-day-off-not-province-wide",
        "2026-03-12 09:00",
        "1",
        WD,
        "2026-03-13 09:00",
        overrides=[("agency", FRI_13_MARCH, False)],
        agency=False,
    ),
    # The province gives Friday off but this agency works it: the agency's override wins.
    row(
        "agency-override-wins",
        "2026-03-12 09:00",
        "1",
        WD,
        "2026-03-13 09:00",
        overrides=[("province", FRI_13_MARCH, False), ("agency", FRI_13_MARCH, True)],
    ),
    # A province-wide working Saturday: Fri 13 09:00 + 1 day → Sat 14 09:00.
    row(
        "province-working-saturday",
        "2026-03-13 09:00",
        "1",
        WD,
        "2026-03-14 09:00",
        overrides=[("province", "2026-03-14", True)],
    ),
]


@pytest.mark.parametrize(
    ("received", "amount", "unit", "expected", "pauses", "overrides", "for_agency"), ROWS
)
def test_due_date(received, amount, unit, expected, pauses, overrides, for_agency, agency, other_agency):
    scopes = {"province": None, "agency": agency, "other": other_agency}
    for scope, date, is_working_day in overrides:
        CalendarOverrideFactory(agency=scopes[scope], date=date, is_working_day=is_working_day)

    due = compute_due(
        at(received),
        Decimal(amount),
        unit,
        agency=agency if for_agency else None,
        pauses=[(at(start), at(end)) for start, end in pauses],
    )

    assert due.due_at == at(expected)


def test_the_table_is_large_enough():
    assert len(ROWS) >= 20
