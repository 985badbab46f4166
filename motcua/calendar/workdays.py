"""Working days and deadlines (thời hạn giải quyết) counted in Vietnamese working days.

This module is pure: no database, no clock. A ``WorkCalendar`` combines the national calendar from the
``holidays`` package (public holidays, Tết, substitute days off and the official make-up Saturdays) with
local overrides, and computes due dates that explain themselves. ``motcua.calendar.selectors`` builds
a calendar with the overrides of an agency in one query.

Counting rules (DOMAIN "Deadlines" and "Processing rules"):

* **Working days.** Saturday and Sunday are off unless they are official make-up working days; public
  holidays and their substitute days are off; a local override decides over both, and an agency's own
  override wins over a province-wide one.
* **Start of counting** (``counted_from``). A dossier received on a working day at or before the
  reception cut-off (15:00, ``MOTCUA_RECEPTION_CUTOFF``) counts from the moment it is received, moved
  forward to the next working period if it arrives outside working hours (before 07:30 or at lunch).
  Received after the cut-off, after the last period or on a day off, it counts from the start of the
  next working day's first period.
* **Working days and hours.** One working day is the total of the configured working periods (8 hours by
  default), so N working days are N × 8 working hours counted from ``counted_from`` through working
  periods only; a dossier received at 09:00 with 1 working day is due at 09:00 the next working day.
  Fractions count the same way: 0.5 working day is 4 working hours. The deadline is the instant the
  count is reached, so a count ending with a period ends at 11:30 or 17:00, not at the next opening.
* **Calendar days.** N calendar days are added to the date of ``counted_from``; if that date is a day
  off the deadline moves to the next working day ("a calendar-day deadline never falls on a day off").
  The deadline is the end of the due date's last working period (17:00). A fraction of a calendar day
  is rounded up to a whole day.
* **Pauses** (a request to supplement stops the clock). For working units, working time inside a pause
  does not count, so the deadline moves by the working time inside each pause. For calendar days, the
  deadline moves by each pause's length rounded up to whole days. A pause that begins after the
  deadline, or the part of one before counting started, changes nothing. Whether the clock resumes or
  restarts after a supplement is the caller's choice: to restart, compute again from the new receipt.
"""

import datetime
import functools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, npgettext

from motcua.calendar.conf import Period, parse_working_hours
from motcua.calendar.constants import DEFAULT_RECEPTION_CUTOFF, DEFAULT_WORKING_HOURS, DayKind, DurationUnit

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKEND = frozenset({5, 6})  # Saturday, Sunday
# Give up rather than loop for ever when overrides turn every day off.
MAX_SEARCH_DAYS = 3660
WEEKDAYS = (
    gettext_lazy("thứ Hai"),
    gettext_lazy("thứ Ba"),
    gettext_lazy("thứ Tư"),
    gettext_lazy("thứ Năm"),
    gettext_lazy("thứ Sáu"),
    gettext_lazy("thứ Bảy"),
    gettext_lazy("Chủ nhật"),
)

Interval = tuple[datetime.datetime, datetime.datetime]


@dataclass(frozen=True)
class Override:
    """A local override of one date, province-wide or (``agency_specific``) for one agency."""

    date: datetime.date
    is_working_day: bool
    note: str
    agency_specific: bool = False


@dataclass(frozen=True)
class Day:
    """One date of the calendar and why it is (or is not) worked; ``kind`` is None for a plain weekday."""

    date: datetime.date
    is_working_day: bool
    kind: DayKind | None = None
    reason: str = ""

    def __str__(self) -> str:
        text = f"{WEEKDAYS[self.date.weekday()]}, {self.date:%d/%m/%Y}"
        return f"{text} ({self.reason})" if self.reason else text


@dataclass(frozen=True)
class PausedInterval:
    """A pause of the clock (e.g. a request to supplement) and the time it kept from counting:
    working time for working units, whole days for calendar days."""

    start: datetime.datetime
    end: datetime.datetime
    stopped: datetime.timedelta


@dataclass(frozen=True)
class DueDate:
    """A deadline with everything needed to explain it; templates can read the fields directly."""

    received_at: datetime.datetime
    amount: Decimal
    unit: DurationUnit
    counted_from: datetime.datetime
    after_cutoff: bool
    skipped_days: tuple[Day, ...]
    worked_days_off: tuple[Day, ...]
    pauses: tuple[PausedInterval, ...]
    due_at: datetime.datetime
    reception_cutoff: datetime.time
    working_day: datetime.timedelta

    def explain(self) -> list[str]:
        """The deadline as Vietnamese sentences, one per line, for the receipt and the dossier page."""
        lines = [_("Tiếp nhận lúc %(at)s.") % {"at": format_moment(self.received_at)}]
        start = {"start": format_moment(self.counted_from)}
        if self.counted_from == self.received_at:
            lines.append(_("Bắt đầu tính từ lúc tiếp nhận."))
        elif self.after_cutoff:
            lines.append(
                _("Tiếp nhận sau %(cutoff)s nên tính từ %(start)s.")
                % {"cutoff": f"{self.reception_cutoff:%H:%M}", **start}
            )
        elif any(day.date == self.received_at.astimezone(VIETNAM).date() for day in self.skipped_days):
            lines.append(_("Tiếp nhận vào ngày nghỉ nên tính từ %(start)s.") % start)
        else:
            lines.append(_("Tiếp nhận ngoài giờ làm việc nên tính từ %(start)s.") % start)
        amount = _number(self.amount)
        if self.unit == DurationUnit.CALENDAR_DAYS:
            lines.append(
                _("Thời hạn %(amount)s ngày; hạn rơi vào ngày nghỉ thì lùi sang ngày làm việc kế tiếp.")
                % {"amount": amount}
            )
        elif self.unit == DurationUnit.WORKING_DAYS:
            hours = _number(self.amount * Decimal(self.working_day.total_seconds()) / 3600)
            lines.append(
                _("Thời hạn %(amount)s ngày làm việc (%(hours)s giờ làm việc).")
                % {"amount": amount, "hours": hours}
            )
        else:
            lines.append(_("Thời hạn %(amount)s giờ làm việc.") % {"amount": amount})
        for day in self.skipped_days:
            if self.unit == DurationUnit.CALENDAR_DAYS and day.date >= self.counted_from.date():
                lines.append(_("Hạn rơi vào ngày nghỉ %(day)s: lùi sang ngày sau.") % {"day": day})
            else:
                lines.append(_("Không tính ngày nghỉ %(day)s.") % {"day": day})
        for day in self.worked_days_off:
            lines.append(_("Có tính ngày làm việc %(day)s.") % {"day": day})
        for pause in self.pauses:
            lines.append(
                _("Tạm dừng từ %(start)s đến %(end)s: không tính %(stopped)s.")
                % {
                    "start": format_moment(pause.start),
                    "end": format_moment(pause.end),
                    "stopped": self._format_stopped(pause.stopped),
                }
            )
        lines.append(_("Hạn giải quyết: %(due)s.") % {"due": format_moment(self.due_at)})
        return lines

    def _format_stopped(self, stopped: datetime.timedelta) -> str:
        if self.unit == DurationUnit.CALENDAR_DAYS:
            return _("%(days)s ngày") % {"days": stopped.days}
        days, rest = divmod(stopped, self.working_day)
        hours, rest = divmod(rest, datetime.timedelta(hours=1))
        minutes = rest // datetime.timedelta(minutes=1)
        parts = []
        if days:
            parts.append(npgettext("working time", "%(n)s ngày", "%(n)s ngày", days) % {"n": days})
        if hours:
            parts.append(npgettext("working time", "%(n)s giờ", "%(n)s giờ", hours) % {"n": hours})
        if minutes or not parts:
            parts.append(npgettext("working time", "%(n)s phút", "%(n)s phút", minutes) % {"n": minutes})
        return _("%(time)s làm việc") % {"time": " ".join(parts)}


@dataclass(frozen=True)
class StepDeadline:
    """The deadline of one step of the internal process: it starts when the previous step is due."""

    number: int
    share: Decimal
    starts_at: datetime.datetime
    due: DueDate

    @property
    def due_at(self) -> datetime.datetime:
        return self.due.due_at


def format_moment(moment: datetime.datetime) -> str:
    """'15:01 thứ Ba, 10/03/2026' in Vietnam time."""
    local = moment.astimezone(VIETNAM)
    return f"{local:%H:%M} {WEEKDAYS[local.weekday()]}, {local:%d/%m/%Y}"


def _number(value: Decimal) -> str:
    return str(formats.number_format(Decimal(f"{value.normalize():f}")))


@functools.lru_cache(maxsize=64)
def national_year(
    year: int,
) -> tuple[Mapping[datetime.date, str], Mapping[datetime.date, datetime.date | None]]:
    """The national days off of a year (date → holiday name) and its official make-up working days
    (date → the day off it pays for, when the library names it)."""
    # The next year too: a make-up day can pay for a day off early in the following January.
    national = holidays.Vietnam(years=(year, year + 1), language="vi")
    names = {day: name for day, name in national.items() if day.year == year}
    makeup: dict[datetime.date, datetime.date | None] = {}
    for day in national.weekend_workdays:
        if day.year == year:
            label = f"{day:%d/%m/%Y}"  # substitute days are named "Ngày nghỉ (thay cho ngày 22/08/2026)"
            makeup[day] = next((off for off, name in sorted(national.items()) if label in name), None)
    return MappingProxyType(names), MappingProxyType(makeup)


def _aware(moment: datetime.datetime, name: str) -> datetime.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {moment!r}.")
    return moment


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping intervals covering the same time."""
    merged: list[Interval] = []
    for start, end in sorted((_aware(s, "pause start"), _aware(e, "pause end")) for s, e in intervals):
        if end <= start:
            raise ValueError(f"A pause must end after it starts: {start} – {end}.")
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _subtract(
    start: datetime.datetime, end: datetime.datetime, holes: Sequence[Interval]
) -> Iterator[Interval]:
    """The parts of [start, end) outside the (merged, sorted) holes."""
    for hole_start, hole_end in holes:
        if hole_end <= start:
            continue
        if hole_start >= end:
            break
        if hole_start > start:
            yield start, hole_start
        start = max(start, hole_end)
        if start >= end:
            return
    yield start, end


class WorkCalendar:
    """Which days are worked, and when durations end, for one agency (or the whole province).

    ``overrides`` are local decisions; when a date has both a province-wide and an agency override,
    the agency's wins.
    """

    def __init__(
        self,
        overrides: Iterable[Override] = (),
        *,
        working_hours: Sequence[Period] | None = None,
        reception_cutoff: datetime.time | None = None,
    ) -> None:
        self.overrides: dict[datetime.date, Override] = {
            o.date: o for o in sorted(overrides, key=lambda o: o.agency_specific)
        }
        self.working_hours = tuple(
            working_hours if working_hours is not None else parse_working_hours(DEFAULT_WORKING_HOURS)
        )
        self.reception_cutoff = reception_cutoff or datetime.time.fromisoformat(DEFAULT_RECEPTION_CUTOFF)
        self.working_day = sum(
            (
                datetime.datetime.combine(datetime.date.min, end)
                - datetime.datetime.combine(datetime.date.min, start)
                for start, end in self.working_hours
            ),
            datetime.timedelta(),
        )
        self._days: dict[datetime.date, Day] = {}

    # Days

    def day(self, date: datetime.date) -> Day:
        """The status of a date: local override, then national holiday, then make-up day, then weekend."""
        if (known := self._days.get(date)) is not None:
            return known
        self._days[date] = found = self._find_day(date)
        return found

    def _find_day(self, date: datetime.date) -> Day:
        if (override := self.overrides.get(date)) is not None:
            kind = DayKind.OVERRIDE_WORKING if override.is_working_day else DayKind.OVERRIDE_OFF
            return Day(date, override.is_working_day, kind, override.note)
        names, makeup = national_year(date.year)
        if date in names:
            return Day(date, False, DayKind.HOLIDAY, names[date])
        if date.weekday() not in WEEKEND:
            return Day(date, True)
        if date in makeup:
            paid_for = makeup[date]
            reason = (
                _("làm bù cho ngày nghỉ %(date)s") % {"date": f"{paid_for:%d/%m/%Y}"}
                if paid_for
                else str(DayKind.MAKEUP.label)
            )
            return Day(date, True, DayKind.MAKEUP, reason)
        return Day(date, False, DayKind.WEEKEND, str(DayKind.WEEKEND.label))

    def is_working_day(self, date: datetime.date) -> bool:
        return self.day(date).is_working_day

    def next_working_day(self, date: datetime.date) -> datetime.date:
        """The first working day strictly after ``date``."""
        return self.working_day_from(date + datetime.timedelta(days=1))

    def working_day_from(self, date: datetime.date) -> datetime.date:
        """``date`` if it is a working day, else the next one."""
        for offset in range(MAX_SEARCH_DAYS):
            candidate = date + datetime.timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"No working day within {MAX_SEARCH_DAYS} days of {date}.")

    def days_between(self, first: datetime.date, last: datetime.date) -> list[Day]:
        return [self.day(first + datetime.timedelta(days=n)) for n in range((last - first).days + 1)]

    def working_periods(self, date: datetime.date) -> list[Interval]:
        """The working periods of a date as aware datetimes; none on a day off."""
        if not self.is_working_day(date):
            return []
        return [
            (
                datetime.datetime.combine(date, start, tzinfo=VIETNAM),
                datetime.datetime.combine(date, end, tzinfo=VIETNAM),
            )
            for start, end in self.working_hours
        ]

    def end_of_day(self, date: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(date, self.working_hours[-1][1], tzinfo=VIETNAM)

    # Working time

    def counting_start(self, received_at: datetime.datetime) -> tuple[datetime.datetime, bool]:
        """When counting starts for a dossier received at ``received_at``; True if the cut-off moved it."""
        local = _aware(received_at, "received_at").astimezone(VIETNAM)
        date = local.date()
        if self.is_working_day(date):
            if local.time() > self.reception_cutoff:
                return self.working_periods(self.next_working_day(date))[0][0], True
            for start, end in self.working_periods(date):
                if local < end:
                    return max(local, start), False
        return self.working_periods(self.next_working_day(date))[0][0], False

    def _working_intervals(self, start: datetime.datetime, pauses: Sequence[Interval]) -> Iterator[Interval]:
        """Working time from ``start`` on, in order, with the pauses cut out."""
        date = start.astimezone(VIETNAM).date()
        for offset in range(MAX_SEARCH_DAYS):
            for period_start, period_end in self.working_periods(date + datetime.timedelta(days=offset)):
                if period_end > start:
                    yield from _subtract(max(period_start, start), period_end, pauses)
        raise ValueError(f"No working time within {MAX_SEARCH_DAYS} days of {start}.")

    def add_working_time(
        self, start: datetime.datetime, duration: datetime.timedelta, pauses: Iterable[Interval] = ()
    ) -> datetime.datetime:
        """The instant at which ``duration`` of working time, counted from ``start``, is used up."""
        remaining = duration
        if remaining <= datetime.timedelta():
            return start
        for period_start, period_end in self._working_intervals(
            _aware(start, "start"), merge_intervals(pauses)
        ):
            if period_end - period_start >= remaining:
                return period_start + remaining
            remaining -= period_end - period_start
        raise AssertionError("unreachable: _working_intervals raises when it runs out")

    def working_time(
        self, start: datetime.datetime, end: datetime.datetime, pauses: Iterable[Interval] = ()
    ) -> datetime.timedelta:
        """Working time between two instants, pauses excluded."""
        total = datetime.timedelta()
        if end <= start:
            return total
        for period_start, period_end in self._working_intervals(
            _aware(start, "start"), merge_intervals(pauses)
        ):
            if period_start >= end:
                break
            total += min(period_end, end) - period_start
        return total

    def duration(self, amount: Decimal, unit: DurationUnit) -> datetime.timedelta:
        """A working-day or working-hour amount as working time, to the second."""
        base = self.working_day if unit == DurationUnit.WORKING_DAYS else datetime.timedelta(hours=1)
        seconds = (amount * Decimal(int(base.total_seconds()))).to_integral_value(ROUND_HALF_UP)
        return datetime.timedelta(seconds=int(seconds))

    # Deadlines

    def compute_due(
        self,
        received_at: datetime.datetime,
        amount: Decimal | int | str,
        unit: DurationUnit | str,
        *,
        pauses: Iterable[Interval] = (),
    ) -> DueDate:
        """The deadline of a duration for a dossier received at ``received_at`` (rules: module docstring).

        ``pauses`` are (start, end) aware datetimes during which the clock stopped.
        """
        amount = Decimal(amount)
        if not amount.is_finite() or amount < 0:
            raise ValueError(f"A duration must be a positive number, got {amount}.")
        unit = DurationUnit(unit)
        received_at = _aware(received_at, "received_at")
        merged = merge_intervals(pauses)
        counted_from, after_cutoff = self.counting_start(received_at)
        received_on = received_at.astimezone(VIETNAM).date()
        if unit == DurationUnit.CALENDAR_DAYS:
            due_at, paused, nominal = self._calendar_due(counted_from, amount, merged)
            # Days off inside a calendar-day duration count; only those before counting starts and those
            # that push the deadline forward are skipped.
            skipped = [
                *self.days_between(received_on, counted_from.date() - datetime.timedelta(days=1)),
                *self.days_between(nominal, due_at.date()),
            ]
        else:
            due_at = self.add_working_time(counted_from, self.duration(amount, unit), merged)
            paused = [
                PausedInterval(start, end, self.working_time(max(start, counted_from), min(end, due_at)))
                for start, end in merged
            ]
            skipped = self.days_between(received_on, due_at.astimezone(VIETNAM).date())
        days = self.days_between(received_on, due_at.astimezone(VIETNAM).date())
        return DueDate(
            received_at=received_at,
            amount=amount,
            unit=unit,
            counted_from=counted_from,
            after_cutoff=after_cutoff,
            skipped_days=tuple(day for day in skipped if not day.is_working_day),
            worked_days_off=tuple(
                day for day in days if day.kind in (DayKind.MAKEUP, DayKind.OVERRIDE_WORKING)
            ),
            pauses=tuple(paused),
            due_at=due_at,
            reception_cutoff=self.reception_cutoff,
            working_day=self.working_day,
        )

    def _calendar_due(
        self, counted_from: datetime.datetime, amount: Decimal, pauses: Sequence[Interval]
    ) -> tuple[datetime.datetime, list[PausedInterval], datetime.date]:
        """Calendar days: the date, moved by whole paused days and then to a working day, at closing time."""
        days = math.ceil(amount)
        nominal = counted_from.date() + datetime.timedelta(days=days)
        due_at = self.end_of_day(self.working_day_from(nominal))
        paused = []
        for start, end in pauses:
            stopped = datetime.timedelta()
            if start < due_at and end > counted_from:
                # Whole days: a date-based deadline cannot move by part of a day.
                length = end - max(start, counted_from)
                stopped = datetime.timedelta(days=math.ceil(length / datetime.timedelta(days=1)))
                nominal += stopped
                due_at = self.end_of_day(self.working_day_from(nominal))
            paused.append(PausedInterval(start, end, stopped))
        return due_at, paused, nominal

    def step_deadlines(
        self,
        received_at: datetime.datetime,
        amount: Decimal | int | str,
        unit: DurationUnit | str,
        shares: Sequence[Decimal | str],
        *,
        pauses: Iterable[Interval] = (),
    ) -> list[StepDeadline]:
        """Split a legal duration into consecutive steps by their shares (which must add up to 1).

        Step k is due when the first k shares of the duration are used up, counted from the dossier's
        start, so rounding never accumulates and the last step is due exactly with the dossier.
        """
        parts = [Decimal(share) for share in shares]
        if not parts or any(share < 0 for share in parts) or sum(parts, Decimal(0)) != 1:
            raise ValueError(f"Step shares must be non-negative and add up to 1, got {parts}.")
        pauses = merge_intervals(pauses)
        amount = Decimal(amount)
        steps: list[StepDeadline] = []
        starts_at, _after_cutoff = self.counting_start(received_at)
        used = Decimal(0)
        for number, share in enumerate(parts, start=1):
            used += share
            due = self.compute_due(received_at, amount * used, unit, pauses=pauses)
            steps.append(StepDeadline(number, share, starts_at, due))
            starts_at = due.due_at
        return steps
