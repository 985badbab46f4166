import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from motcua.calendar.constants import DayKind, DurationUnit
from motcua.calendar.tests.factories import at
from motcua.calendar.workdays import Override, WorkCalendar


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def calendar():
    return WorkCalendar()


def test_tet_days_are_listed_with_their_names(calendar):
    due = calendar.compute_due(at("2026-02-12 09:00"), Decimal(3), DurationUnit.WORKING_DAYS)

    assert due.counted_from == due.received_at
    assert [(day.date.day, day.kind, day.reason) for day in due.skipped_days] == [
        (14, DayKind.WEEKEND, "Nghỉ cuối tuần"),
        (15, DayKind.WEEKEND, "Nghỉ cuối tuần"),
        (16, DayKind.HOLIDAY, "Giao thừa Tết Nguyên Đán"),
        (17, DayKind.HOLIDAY, "Tết Nguyên Đán"),
        (18, DayKind.HOLIDAY, "Mùng hai Tết Nguyên Đán"),
        (19, DayKind.HOLIDAY, "Mùng ba Tết Nguyên Đán"),
        (20, DayKind.HOLIDAY, "Mùng bốn Tết Nguyên Đán"),
        (21, DayKind.WEEKEND, "Nghỉ cuối tuần"),
        (22, DayKind.WEEKEND, "Nghỉ cuối tuần"),
    ]
    assert due.explain() == [
        "Tiếp nhận lúc 09:00 thứ Năm, 12/02/2026.",
        "Bắt đầu tính từ lúc tiếp nhận.",
        "Thời hạn 3 ngày làm việc (24 giờ làm việc).",
        "Không tính ngày nghỉ thứ Bảy, 14/02/2026 (Nghỉ cuối tuần).",
        "Không tính ngày nghỉ Chủ nhật, 15/02/2026 (Nghỉ cuối tuần).",
        "Không tính ngày nghỉ thứ Hai, 16/02/2026 (Giao thừa Tết Nguyên Đán).",
        "Không tính ngày nghỉ thứ Ba, 17/02/2026 (Tết Nguyên Đán).",
        "Không tính ngày nghỉ thứ Tư, 18/02/2026 (Mùng hai Tết Nguyên Đán).",
        "Không tính ngày nghỉ thứ Năm, 19/02/2026 (Mùng ba Tết Nguyên Đán).",
        "Không tính ngày nghỉ thứ Sáu, 20/02/2026 (Mùng bốn Tết Nguyên Đán).",
        "Không tính ngày nghỉ thứ Bảy, 21/02/2026 (Nghỉ cuối tuần).",
        "Không tính ngày nghỉ Chủ nhật, 22/02/2026 (Nghỉ cuối tuần).",
        "Hạn giải quyết: 09:00 thứ Ba, 24/02/2026.",
    ]


def test_after_the_cutoff_counting_starts_next_morning(calendar):
    due = calendar.compute_due(at("2026-03-10 15:01"), Decimal(1), DurationUnit.WORKING_DAYS)

    assert due.after_cutoff is True
    assert due.counted_from == at("2026-03-11 07:30")
    assert due.skipped_days == ()
    assert "Tiếp nhận sau 15:00 nên tính từ 07:30 thứ Tư, 11/03/2026." in due.explain()


def test_before_the_cutoff_counting_starts_at_reception(calendar):
    due = calendar.compute_due(at("2026-03-10 14:59"), Decimal(1), DurationUnit.WORKING_DAYS)

    assert (due.after_cutoff, due.counted_from) == (False, at("2026-03-10 14:59"))


def test_reception_on_a_day_off_and_out_of_hours_are_explained(calendar):
    weekend = calendar.compute_due(at("2026-03-14 10:00"), Decimal(1), DurationUnit.WORKING_DAYS)
    lunch = calendar.compute_due(at("2026-03-09 12:00"), Decimal(1), DurationUnit.WORKING_DAYS)

    assert weekend.counted_from == at("2026-03-16 07:30")
    assert [day.date.day for day in weekend.skipped_days] == [14, 15]
    assert "Tiếp nhận vào ngày nghỉ nên tính từ 07:30 thứ Hai, 16/03/2026." in weekend.explain()
    assert lunch.counted_from == at("2026-03-09 13:00")
    assert "Tiếp nhận ngoài giờ làm việc nên tính từ 13:00 thứ Hai, 09/03/2026." in lunch.explain()


def test_the_makeup_saturday_is_shown_as_worked(calendar):
    due = calendar.compute_due(at("2026-08-21 09:00"), Decimal(1), DurationUnit.WORKING_DAYS)

    assert [(day.date, day.kind) for day in due.worked_days_off] == [
        (datetime.date(2026, 8, 22), DayKind.MAKEUP)
    ]
    assert "Có tính ngày làm việc thứ Bảy, 22/08/2026 (làm bù cho ngày nghỉ 31/08/2026)." in due.explain()


def test_a_pause_is_listed_with_the_working_time_it_stopped(calendar):
    pause = (at("2026-03-11 09:00"), at("2026-03-16 09:00"))

    due = calendar.compute_due(at("2026-03-09 09:00"), Decimal(5), DurationUnit.WORKING_DAYS, pauses=[pause])

    assert [(p.start, p.end, p.stopped) for p in due.pauses] == [(*pause, datetime.timedelta(hours=24))]
    assert (
        "Tạm dừng từ 09:00 thứ Tư, 11/03/2026 đến 09:00 thứ Hai, 16/03/2026: không tính 3 ngày làm việc."
        in due.explain()
    )


def test_overlapping_pauses_count_once(calendar):
    pauses = [
        (at("2026-03-11 09:00"), at("2026-03-13 09:00")),
        (at("2026-03-12 09:00"), at("2026-03-16 09:00")),
    ]

    due = calendar.compute_due(at("2026-03-09 09:00"), Decimal(5), DurationUnit.WORKING_DAYS, pauses=pauses)

    assert due.due_at == at("2026-03-19 09:00")  # same as one pause from Wed 11 09:00 to Mon 16 09:00
    assert len(due.pauses) == 1


def test_a_short_pause_is_explained_in_hours_and_minutes(calendar):
    pause = (at("2026-03-09 10:00"), at("2026-03-09 14:15"))

    due = calendar.compute_due(at("2026-03-09 09:00"), Decimal(1), DurationUnit.WORKING_DAYS, pauses=[pause])

    # 10:00–11:30 and 13:00–14:15: 2 h 45 of working time stopped. Without it due Tue 09:00; with it
    # 2 h 30 more to 11:30, then 13:00 + 15 min.
    assert due.pauses[0].stopped == datetime.timedelta(hours=2, minutes=45)
    assert due.due_at == at("2026-03-10 13:15")
    assert any(line.endswith("không tính 2 giờ 45 phút làm việc.") for line in due.explain())


def test_calendar_days_skip_only_the_days_that_push_the_deadline(calendar):
    due = calendar.compute_due(at("2026-03-02 10:00"), Decimal(5), DurationUnit.CALENDAR_DAYS)

    # The weekend inside a calendar-day duration is counted; only Sat 7 / Sun 8 push the deadline.
    assert [day.date.day for day in due.skipped_days] == [7, 8]
    assert due.explain()[2] == ("Thời hạn 5 ngày; hạn rơi vào ngày nghỉ thì lùi sang ngày làm việc kế tiếp.")
    assert "Hạn rơi vào ngày nghỉ thứ Bảy, 07/03/2026 (Nghỉ cuối tuần): lùi sang ngày sau." in due.explain()
    assert due.explain()[-1] == "Hạn giải quyết: 17:00 thứ Hai, 09/03/2026."


def test_fractional_calendar_days_round_up(calendar):
    due = calendar.compute_due(at("2026-03-09 09:00"), Decimal("1.5"), DurationUnit.CALENDAR_DAYS)

    assert due.due_at == at("2026-03-11 17:00")


def test_fractions_are_written_the_vietnamese_way(calendar):
    due = calendar.compute_due(at("2026-03-09 09:00"), Decimal("0.5"), DurationUnit.WORKING_DAYS)

    assert "Thời hạn 0,5 ngày làm việc (4 giờ làm việc)." in due.explain()


def test_override_notes_explain_the_day(calendar):
    local = WorkCalendar([Override(datetime.date(2026, 3, 13), False, "Lễ hội đền Hùng của tỉnh")])

    due = local.compute_due(at("2026-03-12 09:00"), Decimal(1), DurationUnit.WORKING_DAYS)

    friday = due.skipped_days[0]
    assert (friday.date.day, friday.kind, friday.reason) == (
        13,
        DayKind.OVERRIDE_OFF,
        "Lễ hội đền Hùng của tỉnh",
    )


def test_the_due_date_keeps_the_time_zone_of_vietnam(calendar):
    received = datetime.datetime(2026, 3, 9, 2, 0, tzinfo=datetime.UTC)  # 09:00 in Hà Nội

    due = calendar.compute_due(received, 1, "working_days")

    assert due.due_at == at("2026-03-10 09:00")
    assert due.due_at.utcoffset() == datetime.timedelta(hours=7)


@pytest.mark.parametrize(
    ("received", "amount", "unit", "pauses"),
    [
        (datetime.datetime(2026, 3, 9, 9, 0), 1, "working_days", []),  # naive
        (at("2026-03-09 09:00"), -1, "working_days", []),
        (at("2026-03-09 09:00"), "NaN", "working_days", []),
        (at("2026-03-09 09:00"), 1, "weeks", []),
        (at("2026-03-09 09:00"), 1, "working_days", [(at("2026-03-10 09:00"), at("2026-03-10 08:00"))]),
    ],
)
def test_bad_input_is_refused(calendar, received, amount, unit, pauses):
    with pytest.raises(ValueError):
        calendar.compute_due(received, amount, unit, pauses=pauses)


def test_a_calendar_without_working_days_gives_up(calendar):
    start = datetime.date(2026, 3, 9)
    closed = WorkCalendar([Override(start + datetime.timedelta(days=n), False, "x") for n in range(4000)])

    with pytest.raises(ValueError, match="No working"):
        closed.compute_due(at("2026-03-09 09:00"), 1, "working_days")
