"""Report periods: a month, a quarter, a year or any span of days, inclusive at both ends."""

import calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _


class PeriodError(ValueError):
    """A period that cannot be: its end before its start."""


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, order=True)
class Period:
    """Days ``start`` to ``end``, both included (local days, Asia/Ho_Chi_Minh)."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(_("Ngày kết thúc phải sau ngày bắt đầu."))

    # -- the usual periods ------------------------------------------------------------------------

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls(datetime.date(year, month, 1), _month_end(year, month))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        if quarter not in (1, 2, 3, 4):
            raise PeriodError(_("Quý phải từ 1 đến 4."))
        first = 3 * (quarter - 1) + 1
        return cls(datetime.date(year, first, 1), _month_end(year, first + 2))

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def custom(cls, start: datetime.date, end: datetime.date) -> "Period":
        return cls(start, end)

    # -- what it is -------------------------------------------------------------------------------

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def kind(self) -> str:
        """ "month", "quarter", "year" or "custom", read from the dates."""
        s, e = self.start, self.end
        if s.day == 1 and e == _month_end(e.year, e.month) and s.year == e.year:
            months = e.month - s.month + 1
            if months == 1:
                return "month"
            if months == 3 and s.month % 3 == 1:
                return "quarter"
            if months == 12:
                return "year"
        return "custom"

    @property
    def label(self) -> str:
        kind = self.kind
        if kind == "month":
            return _("Tháng %(m)s/%(y)s") % {"m": self.start.month, "y": self.start.year}
        if kind == "quarter":
            return _("Quý %(q)s/%(y)s") % {"q": (self.start.month - 1) // 3 + 1, "y": self.start.year}
        if kind == "year":
            return _("Năm %(y)s") % {"y": self.start.year}
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    def previous(self) -> "Period":
        """The period of the same kind just before: the previous month, quarter or year; for a custom
        span, the same number of days ending the day before it starts."""
        kind = self.kind
        if kind == "month":
            day = self.start - datetime.timedelta(days=1)
            return Period.month(day.year, day.month)
        if kind == "quarter":
            day = self.start - datetime.timedelta(days=1)
            return Period.quarter(day.year, (day.month - 1) // 3 + 1)
        if kind == "year":
            return Period.year(self.start.year - 1)
        end = self.start - datetime.timedelta(days=1)
        return Period(end - datetime.timedelta(days=self.days - 1), end)

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches."""
        result, y, m = [], self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            result.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return result

    def split(self) -> tuple[list[datetime.date], list[tuple[datetime.date, datetime.date]]]:
        """The first days of the whole months inside the period, and the spans of days of the partial
        months at its edges: what the monthly and the daily aggregates each answer."""
        whole: list[datetime.date] = []
        edges: list[tuple[datetime.date, datetime.date]] = []
        for y, m in self.months():
            month = Period.month(y, m)
            if self.start <= month.start and month.end <= self.end:
                whole.append(month.start)
            else:
                edges.append((max(month.start, self.start), min(month.end, self.end)))
        return whole, edges

    def __str__(self) -> str:
        return self.label
