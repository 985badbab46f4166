"""Report periods: months, quarters, years and spans; the one before; the split into whole months and days."""

import datetime

import pytest

from motcua.reports.periods import Period, PeriodError

D = datetime.date


def test_the_usual_periods_and_the_one_before():
    assert Period.month(2026, 3) == Period(D(2026, 3, 1), D(2026, 3, 31))
    assert Period.month(2026, 1).previous() == Period.month(2025, 12)
    assert Period.month(2024, 3).previous() == Period(D(2024, 2, 1), D(2024, 2, 29))
    assert Period.quarter(2026, 1).previous() == Period.quarter(2025, 4)
    assert Period.quarter(2026, 3) == Period(D(2026, 7, 1), D(2026, 9, 30))
    assert Period.year(2026).previous() == Period.year(2025)
    span = Period.custom(D(2026, 3, 10), D(2026, 3, 19))
    assert span.kind == "custom" and span.previous() == Period(D(2026, 2, 28), D(2026, 3, 9))


def test_labels():
    assert Period.month(2026, 3).label == "Tháng 3/2026"
    assert Period.quarter(2026, 2).label == "Quý 2/2026"
    assert Period.year(2026).label == "Năm 2026"
    assert Period.custom(D(2026, 3, 10), D(2026, 4, 2)).label == "10/03/2026 – 02/04/2026"


def test_an_end_before_the_start_or_a_fifth_quarter_is_refused():
    with pytest.raises(PeriodError):
        Period(D(2026, 3, 2), D(2026, 3, 1))
    with pytest.raises(PeriodError):
        Period.quarter(2026, 5)


def test_split_into_whole_months_and_edge_days():
    months, edges = Period(D(2026, 1, 15), D(2026, 4, 10)).split()
    assert months == [D(2026, 2, 1), D(2026, 3, 1)]
    assert edges == [(D(2026, 1, 15), D(2026, 1, 31)), (D(2026, 4, 1), D(2026, 4, 10))]
    assert Period.year(2026).split() == ([D(2026, m, 1) for m in range(1, 13)], [])
    assert Period(D(2026, 5, 3), D(2026, 5, 3)).split() == ([], [(D(2026, 5, 3), D(2026, 5, 3))])
