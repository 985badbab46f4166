"""Deadlines with pauses checked against an independent reference, over 8,000 seeded random cases.

The reference shares no code with motcua.calendar.workdays. It counts in whole minutes from an epoch
(Vietnam has no daylight saving, so local minutes are exact) over a plain set of days off built from
holidays.Vietnam, weekends and the make-up Saturdays, with the default settings (07:30–11:30, 13:00–17:00,
cut-off 15:00):

* working units: walk day by day, take each period's free minutes (minus the paused ones), and on the
  day the count ends walk minute by minute;
* calendar days (default rule, remaining days): walk date by date from the start of counting, not
  counting the dates a pause froze (after its start date, up to its end date), then walk on to a working
  day that closes after the end of every pause taken; pauses are taken one by one while they begin
  before the deadline the earlier ones gave.

The "whole days" rule has no reference; both rules are held to the invariants (a working day at
closing time, never before the end of a pause that began before the deadline, never earlier than
without pauses).
"""

import datetime
import functools
import math
import random
from decimal import Decimal

import holidays

from motcua.calendar.constants import CalendarPauseRule, DurationUnit
from motcua.calendar.workdays import VIETNAM, WorkCalendar

SEED = 20260507
CASES = 8000
EPOCH = datetime.datetime(2024, 1, 1)
DAY = 24 * 60
PERIODS = ((7 * 60 + 30, 11 * 60 + 30), (13 * 60, 17 * 60))
CLOSING = 17 * 60
CUTOFF = 15 * 60

_NATIONAL = holidays.Vietnam(years=range(2024, 2031))
DAYS_OFF = frozenset(_NATIONAL)
MAKEUP_SATURDAYS = frozenset(_NATIONAL.weekend_workdays)


@functools.cache
def is_working(day: int) -> bool:
    date = (EPOCH + datetime.timedelta(days=day)).date()
    return date not in DAYS_OFF and (date.weekday() < 5 or date in MAKEUP_SATURDAYS)


def to_moment(minute: int) -> datetime.datetime:
    return (EPOCH + datetime.timedelta(minutes=minute)).replace(tzinfo=VIETNAM)


def to_minute(moment: datetime.datetime) -> int:
    local = moment.astimezone(VIETNAM).replace(tzinfo=None)
    return (local - EPOCH) // datetime.timedelta(minutes=1)


def ref_counting_start(received: int) -> int:
    day, time = divmod(received, DAY)
    if is_working(day) and time <= CUTOFF:
        for opening, closing in PERIODS:
            if time < closing:
                return day * DAY + max(opening, time)
    day += 1
    while not is_working(day):
        day += 1
    return day * DAY + PERIODS[0][0]


def ref_working_due(start: int, minutes: int, pauses: list[tuple[int, int]]) -> int:
    remaining = minutes
    day = start // DAY
    while True:
        if is_working(day):
            for opening, closing in PERIODS:
                low, high = max(day * DAY + opening, start), day * DAY + closing
                if low >= high:
                    continue
                paused = sum(max(0, min(high, end) - max(low, begin)) for begin, end in pauses)
                if high - low - paused < remaining:
                    remaining -= high - low - paused
                    continue
                for minute in range(low, high):
                    if not any(begin <= minute < end for begin, end in pauses):
                        remaining -= 1
                        if remaining == 0:
                            return minute + 1
        day += 1


def _ref_calendar(start: int, days: int, taken: list[tuple[int, int]]) -> int:
    frozen = set()
    for begin, end in taken:
        frozen.update(range(begin // DAY + 1, end // DAY + 1))
    day, counted = start // DAY, 0
    while counted < days:
        day += 1
        if day not in frozen:
            counted += 1
    latest_end = max((end for _begin, end in taken), default=0)
    while not is_working(day) or day * DAY + CLOSING < latest_end:
        day += 1
    return day * DAY + CLOSING


def ref_calendar_due(start: int, days: int, pauses: list[tuple[int, int]]) -> int:
    taken: list[tuple[int, int]] = []
    for begin, end in sorted(pauses):
        if end <= start:
            continue
        if max(begin, start) >= _ref_calendar(start, days, taken):
            break
        taken.append((max(begin, start), end))
    return _ref_calendar(start, days, taken)


def random_case(rng: random.Random):
    received = rng.randrange(366 * DAY, (366 + 365 * 3) * DAY)  # 2025-01-01 .. 2027-12-31
    if rng.random() < 0.5:
        days = rng.randint(1, 60)
        amount = Decimal(days) - (Decimal("0.5") if rng.random() < 0.1 else 0)
        unit, span = DurationUnit.CALENDAR_DAYS, days * DAY
    elif rng.random() < 0.7:
        amount = Decimal(rng.randint(1, 240)) / 8  # 0.125 working day = 1 hour: whole minutes
        unit, span = DurationUnit.WORKING_DAYS, int(amount * 2) * DAY
    else:
        amount = Decimal(rng.randint(1, 160)) / 4
        unit, span = DurationUnit.WORKING_HOURS, int(amount / 4 + 1) * DAY
    pauses, cursor = [], received - 2 * DAY
    starts = sorted(
        rng.randrange(received - 2 * DAY, received + span * 13 // 10) for _ in range(rng.randint(0, 3))
    )
    for start in starts:
        begin = max(start, cursor + rng.randint(1, 600))
        length = rng.choice([rng.randint(1, 300), rng.randint(60, 2 * DAY), rng.randint(DAY, 20 * DAY)])
        pauses.append((begin, begin + length))
        cursor = begin + length
    return received, amount, unit, pauses


def test_deadlines_with_pauses_match_the_reference():
    rng = random.Random(SEED)
    remaining_days = WorkCalendar(calendar_pause=CalendarPauseRule.REMAINING_DAYS)
    whole_days = WorkCalendar(calendar_pause=CalendarPauseRule.WHOLE_DAYS)
    failures = []
    counts = {"working": 0, "calendar": 0, "paused": 0}
    for case in range(CASES):
        received, amount, unit, pauses = random_case(rng)
        shuffled = [(to_moment(begin), to_moment(end)) for begin, end in pauses]
        rng.shuffle(shuffled)  # the calendar sorts and merges them itself
        start = ref_counting_start(received)
        counts["paused"] += bool(pauses)

        def fail(what, got, expected=None):
            failures.append((case, what, to_moment(received), amount, unit, pauses, got, expected))

        if unit == DurationUnit.CALENDAR_DAYS:
            counts["calendar"] += 1
            days = math.ceil(amount)
            expected = ref_calendar_due(start, days, pauses)
            unpaused = ref_calendar_due(start, days, [])
            for calendar in (remaining_days, whole_days):
                due = calendar.compute_due(to_moment(received), amount, unit, pauses=shuffled)
                got = to_minute(due.due_at)
                if calendar is remaining_days and got != expected:
                    fail("differs from the reference", to_moment(got), to_moment(expected))
                if got % DAY != CLOSING or not is_working(got // DAY):
                    fail(f"{calendar.calendar_pause}: not a working day at closing time", due.due_at)
                if got < unpaused:
                    fail(f"{calendar.calendar_pause}: earlier than without pauses", due.due_at)
                if any(begin < got < end for begin, end in pauses):
                    fail(f"{calendar.calendar_pause}: before the end of a pause", due.due_at)
        else:
            counts["working"] += 1
            hours = 8 if unit == DurationUnit.WORKING_DAYS else 1
            expected = ref_working_due(start, int(amount * hours * 60), pauses)
            due = remaining_days.compute_due(to_moment(received), amount, unit, pauses=shuffled)
            if to_minute(due.due_at) != expected:
                fail("differs from the reference", due.due_at, to_moment(expected))
            if any(begin < expected < end for begin, end in pauses):
                fail("before the end of a pause", due.due_at)
            # The appointment function moves the unpaused deadline to the same place.
            unpaused = remaining_days.compute_due(to_moment(received), amount, unit)
            moved = remaining_days.move_appointment(
                unpaused.due_at, unit, pauses=shuffled, given_at=unpaused.counted_from
            )
            if moved.moved_to != due.due_at:
                fail("move_appointment differs from compute_due", moved.moved_to, due.due_at)

    assert failures == [], f"{len(failures)} failures, first: {failures[:3]}"
    # The draw covers what it claims to (fixed by the seed).
    assert counts["working"] > 3500 and counts["calendar"] > 3500 and counts["paused"] > 5000
