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
* **Pauses** (a request to supplement stops the clock). A pause that begins at or after the deadline,
  or the part of one before counting started, changes nothing; the others are taken in order, each
  against the deadline the earlier ones gave.

  - *Working units*: working time inside a pause does not count. Said otherwise, the working time left
    between the pause start and the deadline is counted again from the pause end.
  - *Calendar days*, by ``MOTCUA_CALENDAR_PAUSE_RULE`` (``CalendarPauseRule``; the regulation does not
    settle how part of a day counts):

    ``remaining_days`` (default): the calendar days left between the pause's start date and the nominal
    due date are counted again from the date the pause ended. A pause within one day moves nothing; a
    pause from Tuesday to Thursday moves the deadline by two days, whatever the hours.
    ``whole_days``: the nominal due date moves by the pause's length rounded up to whole days, so an hour
    adds a day (and, when the new date is a day off, up to the whole Tết break).

    Then, under both rules, the date moves off a day off as usual, and the deadline is never before the
    end of the pause (the resubmission): if the closing time of that date is earlier, the deadline is the
    closing time of the first working day that ends after the pause.

    *Days left are measured against the nominal date* (the date of ``counted_from`` + N, as moved by the
    earlier pauses), not against the date it was moved to off a day off. Moving off a day off decides
    where a deadline may fall; it is not part of the duration. Measured against the moved date, a
    deadline that happened to fall in Tết would carry the days the break added into its new period, a
    part of the duration that never existed (20 days from 26 January 2026 fall on Sunday 15 February and
    move to Monday 23 February; paused on 11 February, 4 days are left, not 12). A pause that begins after
    the nominal date but before the moved deadline therefore leaves no days: the deadline becomes the day
    the pause ends.

  Whether the clock resumes or restarts after a supplement is the caller's choice: to restart, compute
  again from the new receipt.
* **Appointments** (``move_appointment``): an appointment given to the applicant (the new one of an
  apology, form 04) moves by the pauses that began before it by the same rules, the appointment
  taking the place of the nominal due date; a calendar-day appointment keeps its time of day.
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
from motcua.calendar.constants import (
    DEFAULT_RECEPTION_CUTOFF,
    DEFAULT_WORKING_HOURS,
    CalendarPauseRule,
    DayKind,
    DurationUnit,
)

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
ONE_DAY = datetime.timedelta(days=1)


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
    """A pause of the clock (e.g. a request to supplement) and what it did to a deadline or an appointment.

    ``applies`` is False when the pause changed nothing: it began at or after the deadline (appointment),
    or ended before counting started (before the appointment was given). ``stopped`` is what it kept from
    counting: working time for working units, the days the nominal date moved by for calendar days.
    How it was counted, for the explanation: ``left`` is what was left when it began (working time, or
    whole calendar days under the remaining-days rule), counted again from its end; ``nominal_before`` and
    ``nominal_after`` are the nominal date (calendar days, before moving off a day off) before and after
    it; ``moved_to`` is the deadline (appointment) after it, ``held`` True when that is later than the
    count alone gives because it may not fall before the end of the pause.
    """

    start: datetime.datetime
    end: datetime.datetime
    stopped: datetime.timedelta
    applies: bool = True
    left: datetime.timedelta | None = None
    nominal_before: datetime.date | None = None
    nominal_after: datetime.date | None = None
    moved_to: datetime.datetime | None = None
    held: bool = False


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
    calendar_pause: CalendarPauseRule = CalendarPauseRule.REMAINING_DAYS

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
        # Calendar days: the days off the deadline moved over come last, after the pauses that moved it.
        moved_over = [
            day
            for day in self.skipped_days
            if self.unit == DurationUnit.CALENDAR_DAYS and day.date >= self.counted_from.date()
        ]
        for day in self.skipped_days:
            if day not in moved_over:
                lines.append(_("Không tính ngày nghỉ %(day)s.") % {"day": day})
        for day in self.worked_days_off:
            lines.append(_("Có tính ngày làm việc %(day)s.") % {"day": day})
        for pause in self.pauses:
            lines.extend(self._explain_pause(pause))
        for day in moved_over:
            lines.append(_("Hạn rơi vào ngày nghỉ %(day)s: lùi sang ngày sau.") % {"day": day})
        lines.append(_("Hạn giải quyết: %(due)s.") % {"due": format_moment(self.due_at)})
        return lines

    def _explain_pause(self, pause: PausedInterval) -> list[str]:
        when = {"start": format_moment(pause.start), "end": format_moment(pause.end)}
        if not pause.applies:
            if pause.end <= self.counted_from:
                text = _(
                    "Tạm dừng từ %(start)s đến %(end)s, trước khi bắt đầu tính hạn: không làm thay đổi hạn."
                )
            else:
                text = _("Tạm dừng từ %(start)s đến %(end)s, từ sau hạn giải quyết: không làm thay đổi hạn.")
            return [text % when]
        if self.unit != DurationUnit.CALENDAR_DAYS:
            return [
                _("Tạm dừng từ %(start)s đến %(end)s: không tính %(stopped)s.")
                % {**when, "stopped": format_working_time(pause.stopped, self.working_day)}
            ]
        assert pause.nominal_before is not None and pause.nominal_after is not None
        dates = {
            "nominal": format_date(pause.nominal_before),
            "resumed": format_date(pause.end.astimezone(VIETNAM).date()),
            "date": format_date(pause.nominal_after),
        }
        if self.calendar_pause == CalendarPauseRule.WHOLE_DAYS:
            text = _(
                "Tạm dừng từ %(start)s đến %(end)s: cộng thêm %(days)s (thời gian tạm dừng làm tròn lên "
                "ngày): đến %(date)s."
            )
            lines = [text % {**when, **dates, "days": format_days(pause.stopped.days)}]
        elif pause.left:
            text = _(
                "Tạm dừng từ %(start)s đến %(end)s: còn %(left)s (đến %(nominal)s), tính tiếp từ "
                "%(resumed)s: đến %(date)s."
            )
            lines = [text % {**when, **dates, "left": format_days(pause.left.days)}]
        else:
            text = _(
                "Tạm dừng từ %(start)s đến %(end)s: không còn ngày nào (thời hạn tính đến %(nominal)s), "
                "nên hạn là ngày hết tạm dừng, %(resumed)s."
            )
            lines = [text % {**when, **dates}]
        if pause.held and pause.moved_to is not None:
            lines.append(
                _("Hạn không được trước lúc hết tạm dừng (%(end)s) nên là %(due)s.")
                % {"end": format_moment(pause.end), "due": format_moment(pause.moved_to)}
            )
        return lines


@dataclass(frozen=True)
class MovedAppointment:
    """An appointment moved by the pauses that began before it (``WorkCalendar.move_appointment``).

    ``moved_to`` is the appointment to show and to hold the dossier to; ``skipped_days`` are the days off
    a calendar-day appointment was moved over; ``explain()`` gives the reasons for the dossier page.
    """

    appointment: datetime.datetime
    unit: DurationUnit
    given_at: datetime.datetime | None
    pauses: tuple[PausedInterval, ...]
    skipped_days: tuple[Day, ...]
    moved_to: datetime.datetime
    working_day: datetime.timedelta
    calendar_pause: CalendarPauseRule = CalendarPauseRule.REMAINING_DAYS

    @property
    def moved(self) -> bool:
        return self.moved_to != self.appointment

    def explain(self) -> list[str]:
        """The moved appointment as Vietnamese sentences, one per line."""
        lines = [_("Hẹn trả kết quả: %(at)s.") % {"at": format_moment(self.appointment)}]
        for pause in self.pauses:
            lines.extend(self._explain_pause(pause))
        for day in self.skipped_days:
            lines.append(_("Hẹn rơi vào ngày nghỉ %(day)s: lùi sang ngày sau.") % {"day": day})
        at = {"at": format_moment(self.moved_to)}
        lines.append(_("Hẹn mới: %(at)s.") % at if self.moved else _("Hẹn không thay đổi: %(at)s.") % at)
        return lines

    def _explain_pause(self, pause: PausedInterval) -> list[str]:
        when = {"start": format_moment(pause.start), "end": format_moment(pause.end)}
        if not pause.applies:
            if self.given_at is not None and pause.end <= self.given_at:
                text = _("Tạm dừng từ %(start)s đến %(end)s, trước khi có hẹn: không làm thay đổi hẹn.")
            else:
                text = _("Tạm dừng từ %(start)s đến %(end)s, từ sau hẹn: không làm thay đổi hẹn.")
            return [text % when]
        assert pause.moved_to is not None
        if self.unit != DurationUnit.CALENDAR_DAYS:
            assert pause.left is not None
            text = _(
                "Tạm dừng từ %(start)s đến %(end)s: còn %(left)s đến hẹn, tính tiếp từ %(resumed)s: "
                "đến %(date)s."
            )
            values = {
                "left": format_working_time(pause.left, self.working_day),
                "resumed": format_moment(pause.end),
                "date": format_moment(pause.moved_to),
            }
            return [text % {**when, **values}]
        assert pause.nominal_after is not None
        dates = {
            "resumed": format_date(pause.end.astimezone(VIETNAM).date()),
            "date": format_date(pause.nominal_after),
        }
        if self.calendar_pause == CalendarPauseRule.WHOLE_DAYS:
            text = _(
                "Tạm dừng từ %(start)s đến %(end)s: hẹn lùi thêm %(days)s (thời gian tạm dừng làm tròn lên "
                "ngày): đến %(date)s."
            )
            lines = [text % {**when, **dates, "days": format_days(pause.stopped.days)}]
        elif pause.left:
            text = _(
                "Tạm dừng từ %(start)s đến %(end)s: còn %(left)s đến hẹn, tính tiếp từ %(resumed)s: "
                "đến %(date)s."
            )
            lines = [text % {**when, **dates, "left": format_days(pause.left.days)}]
        else:
            text = _(
                "Tạm dừng từ %(start)s đến %(end)s: bắt đầu vào ngày hẹn nên hẹn là ngày hết tạm dừng, "
                "%(resumed)s."
            )
            lines = [text % {**when, **dates}]
        if pause.held:
            lines.append(
                _("Hẹn không được trước lúc hết tạm dừng (%(end)s) nên là %(at)s.")
                % {"end": format_moment(pause.end), "at": format_moment(pause.moved_to)}
            )
        return lines


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


def format_date(date: datetime.date) -> str:
    """'thứ Ba, 10/03/2026'."""
    return f"{WEEKDAYS[date.weekday()]}, {date:%d/%m/%Y}"


def format_days(days: int) -> str:
    """'3 ngày' (calendar days)."""
    return npgettext("calendar days", "%(n)s ngày", "%(n)s ngày", days) % {"n": days}


def format_working_time(time: datetime.timedelta, working_day: datetime.timedelta) -> str:
    """'1 ngày 2 giờ 45 phút làm việc', in working days of ``working_day``."""
    days, rest = divmod(time, working_day)
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
    the agency's wins. ``calendar_pause`` is how pauses move calendar-day deadlines (module docstring).
    """

    def __init__(
        self,
        overrides: Iterable[Override] = (),
        *,
        working_hours: Sequence[Period] | None = None,
        reception_cutoff: datetime.time | None = None,
        calendar_pause: CalendarPauseRule | str = CalendarPauseRule.REMAINING_DAYS,
    ) -> None:
        self.overrides: dict[datetime.date, Override] = {
            o.date: o for o in sorted(overrides, key=lambda o: o.agency_specific)
        }
        self.working_hours = tuple(
            working_hours if working_hours is not None else parse_working_hours(DEFAULT_WORKING_HOURS)
        )
        self.reception_cutoff = reception_cutoff or datetime.time.fromisoformat(DEFAULT_RECEPTION_CUTOFF)
        self.calendar_pause = CalendarPauseRule(calendar_pause)
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

    def closing_not_before(self, moment: datetime.datetime) -> datetime.datetime:
        """The closing time of the first working day that closes at or after ``moment``."""
        return self.end_of_day(self.working_day_from(self._first_date_closing_after(moment)))

    def _first_date_closing_after(self, moment: datetime.datetime) -> datetime.date:
        """The first date whose closing time is at or after ``moment``, worked or not."""
        date = moment.astimezone(VIETNAM).date()
        return date if moment <= self.end_of_day(date) else date + ONE_DAY

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
            nominal = counted_from.date() + datetime.timedelta(days=math.ceil(amount))
            due_at, paused, moved_from = self._move_by_days(
                nominal, self.end_of_day(self.working_day_from(nominal)), merged, since=counted_from
            )
            # Days off inside a calendar-day duration count; only those before counting starts and those
            # that push the deadline forward are skipped.
            skipped = [
                *self.days_between(received_on, counted_from.date() - ONE_DAY),
                *self.days_between(moved_from or nominal, due_at.date()),
            ]
        else:
            due_at = self.add_working_time(counted_from, self.duration(amount, unit), merged)
            paused = [
                PausedInterval(
                    start,
                    end,
                    self.working_time(max(start, counted_from), min(end, due_at)),
                    applies=start < due_at and end > counted_from,
                )
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
            calendar_pause=self.calendar_pause,
        )

    def _move_by_days(
        self,
        nominal: datetime.date,
        moment: datetime.datetime,
        pauses: Sequence[Interval],
        *,
        since: datetime.datetime | None,
    ) -> tuple[datetime.datetime, list[PausedInterval], datetime.date | None]:
        """Calendar days: move ``moment`` (a deadline or an appointment, on ``nominal`` or the first working
        day after it) by the (merged) pauses that began before it, under ``self.calendar_pause``.

        The moved moment lands on a working day at the same time of day, and never before the end of a
        pause that applied. Parts of pauses before ``since`` do not count. Returns the moved moment, the
        pauses, and the date it was moved from to reach a working day (None if no pause applied).
        """
        time_of_day = moment.astimezone(VIETNAM).time()
        paused = []
        moved_from = None
        for start, end in pauses:
            effective = start if since is None else max(start, since)
            if effective >= moment or end <= effective:
                paused.append(PausedInterval(start, end, datetime.timedelta(), applies=False))
                continue
            before = nominal
            left = None
            if self.calendar_pause == CalendarPauseRule.REMAINING_DAYS:
                left = max(nominal - effective.astimezone(VIETNAM).date(), datetime.timedelta())
                nominal = end.astimezone(VIETNAM).date() + left
            else:
                # Whole days: a date-based deadline cannot move by part of a day.
                nominal += math.ceil((end - effective) / ONE_DAY) * ONE_DAY
            moment = datetime.datetime.combine(self.working_day_from(nominal), time_of_day, tzinfo=VIETNAM)
            # Never before the resubmission: the applicant must have the dossier back before it is due.
            held = moment < end
            if held:
                moment = self.closing_not_before(end)
            moved_from = max(nominal, self._first_date_closing_after(end))
            paused.append(
                PausedInterval(
                    start,
                    end,
                    nominal - before,
                    left=left,
                    nominal_before=before,
                    nominal_after=nominal,
                    moved_to=moment,
                    held=held,
                )
            )
        return moment, paused, moved_from

    # Appointments

    def move_appointment(
        self,
        appointment: datetime.datetime,
        unit: DurationUnit | str,
        *,
        pauses: Iterable[Interval] = (),
        given_at: datetime.datetime | None = None,
    ) -> MovedAppointment:
        """An appointment moved by the pauses that began before it, by the rules of deadlines.

        For the new appointment of an apology (form 04): a request to supplement after the apology stops
        the clock of the appointment as it stops a deadline's. ``unit`` is the procedure's time unit.

        * Working days or hours: the working time left between a pause's start and the appointment is
          counted again from the pause's end.
        * Calendar days, by ``self.calendar_pause``: the days left between the pause's start date and the
          appointment's date are counted again from the pause's end date (``remaining_days``), or the
          date moves by the pause's length rounded up to whole days (``whole_days``); then off a day off,
          at the appointment's time of day.

        Pauses are taken in order, each against the appointment the earlier ones gave; one that begins at
        or after it changes nothing. The appointment is never moved before the end of a pause that
        applied. ``given_at`` (when the appointment was given) is optional: the part of a pause before it
        does not count, as the part before counting started does not for a deadline.
        """
        unit = DurationUnit(unit)
        appointment = _aware(appointment, "appointment")
        if given_at is not None:
            given_at = _aware(given_at, "given_at")
        merged = merge_intervals(pauses)
        skipped: list[Day] = []
        if unit == DurationUnit.CALENDAR_DAYS:
            moved_to, paused, moved_from = self._move_by_days(
                appointment.astimezone(VIETNAM).date(), appointment, merged, since=given_at
            )
            if moved_from is not None:
                skipped = self.days_between(moved_from, moved_to.astimezone(VIETNAM).date())
        else:
            moved_to = appointment
            paused = []
            for start, end in merged:
                effective = start if given_at is None else max(start, given_at)
                if effective >= moved_to or end <= effective:
                    paused.append(PausedInterval(start, end, datetime.timedelta(), applies=False))
                    continue
                left = self.working_time(effective, moved_to)
                moved_to = self.add_working_time(end, left)
                paused.append(
                    PausedInterval(
                        start, end, self.working_time(effective, end), left=left, moved_to=moved_to
                    )
                )
        return MovedAppointment(
            appointment=appointment,
            unit=unit,
            given_at=given_at,
            pauses=tuple(paused),
            skipped_days=tuple(day for day in skipped if not day.is_working_day),
            moved_to=moved_to,
            working_day=self.working_day,
            calendar_pause=self.calendar_pause,
        )

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
