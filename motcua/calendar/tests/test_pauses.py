"""Pauses (requests to supplement) worked out by hand, under both calendar-day rules.

Defaults: 07:30–11:30 and 13:00–17:00, cut-off 15:00. Days off as holidays.Vietnam 0.109 gives them
(test_national_calendar.py checks them): Tết 2026 is Sat 14 – Sun 22 February; 1 January 2026 (Thu) is
the only day off around the new year.

Each row gives the deadline under ``remaining_days`` (the default: the days left between the pause's
start date and the nominal due date count again from the pause's end date) and under ``whole_days``
(the nominal date moves by the pause rounded up to whole days). Under both, the deadline moves off a
day off and is never before the end of a pause that began before it.
"""

import pytest
from django.utils import translation

from motcua.calendar.constants import CalendarPauseRule
from motcua.calendar.tests.factories import at
from motcua.calendar.workdays import WorkCalendar

WD, CD = "working_days", "calendar_days"


def row(name, received, amount, unit, pauses, remaining_days, whole_days):
    return pytest.param(received, amount, unit, pauses, remaining_days, whole_days, id=name)


ROWS = [
    # --- the case from the issue: the deadline fell inside the pause ---
    # Fri 5 Dec 2025 + 30 = Sun 4 Jan → Mon 5 Jan 17:00. Paused Mon 5 Jan 10:00, after the nominal date:
    # no days left, so the deadline is the day the pause ends, Wed 7 Jan. Whole days: 1 d 23 h → 2 days,
    # Sun 4 + 2 = Tue 6 Jan, before the resubmission: held to Wed 7 Jan 17:00 (it used to be Tue 6).
    row(
        "issue-example",
        "2025-12-05 08:46",
        30,
        CD,
        [("2026-01-05 10:00", "2026-01-07 09:00")],
        "2026-01-07 17:00",
        "2026-01-07 17:00",
    ),
    # --- Tết 2026 ---
    # Tue 3 Feb + 10 = Fri 13 Feb, the last working day before Tết. One hour's pause that day: no day
    # left, nothing moves. Whole days: 1 h → 1 day, Sat 14 Feb, inside the break → Mon 23 Feb.
    row(
        "tet-2026-one-hour-on-the-eve",
        "2026-02-03 09:00",
        10,
        CD,
        [("2026-02-13 10:00", "2026-02-13 11:00")],
        "2026-02-13 17:00",
        "2026-02-23 17:00",
    ),
    # Mon 26 Jan + 20 = Sun 15 Feb → Mon 23 Feb. Paused Wed 11 Feb 10:00 → Thu 26 Feb 11:00: 4 days were
    # left to the nominal Sun 15 (not 12 to the moved Mon 23): Thu 26 + 4 = Mon 2 Mar.
    # Whole days: 15 d 1 h → 16, Sun 15 + 16 = Tue 3 Mar.
    row(
        "tet-2026-pause-across-the-break",
        "2026-01-26 09:00",
        20,
        CD,
        [("2026-02-11 10:00", "2026-02-26 11:00")],
        "2026-03-02 17:00",
        "2026-03-03 17:00",
    ),
    # The same deadline (Mon 23 Feb, moved from Sun 15), paused on its due day Mon 23 09:00 → Wed 25 10:00.
    # The nominal date had passed: no days left, due Wed 25. Whole days: 2 d 1 h → 3, Sun 15 + 3 = Wed
    # 18 (Tết) → Mon 23 17:00, before the resubmission: held to Wed 25 17:00.
    row(
        "tet-2026-pause-on-the-moved-due-day",
        "2026-01-26 09:00",
        20,
        CD,
        [("2026-02-23 09:00", "2026-02-25 10:00")],
        "2026-02-25 17:00",
        "2026-02-25 17:00",
    ),
    # Working days across Tết: without the pause Tue 24 Feb 09:00. The pause holds Fri 14:00–17:00 3 h
    # and Mon 23 07:30–10:00 2.5 h: Tue 09:00 + 5.5 h = 11:30 (2.5) then 13:00 + 3 h → 16:00.
    row(
        "tet-2026-working-days",
        "2026-02-12 09:00",
        3,
        WD,
        [("2026-02-13 14:00", "2026-02-23 10:00")],
        "2026-02-24 16:00",
        "2026-02-24 16:00",
    ),
    # --- a pause that begins on the due day ---
    # Mon 2 Mar + 10 = Thu 12 Mar. Paused Thu 12 09:00 → Fri 13 16:00: no day left, due Fri 13.
    # Whole days: 1 d 7 h → 2, Sat 14 → Mon 16.
    row(
        "pause-begins-on-the-due-day",
        "2026-03-02 10:00",
        10,
        CD,
        [("2026-03-12 09:00", "2026-03-13 16:00")],
        "2026-03-13 17:00",
        "2026-03-16 17:00",
    ),
    # --- a pause that ends after 17:00 ---
    # Due Thu 12 Mar; paused Thu 12 10:00 → 17:30 the same day. No day left: Thu 12 17:00, but that is
    # before the resubmission, so the next working day's closing time, Fri 13. Whole days: 7.5 h → 1.
    row(
        "pause-ends-after-closing-time",
        "2026-03-02 10:00",
        10,
        CD,
        [("2026-03-12 10:00", "2026-03-12 17:30")],
        "2026-03-13 17:00",
        "2026-03-13 17:00",
    ),
    # Working days: 1 day from Mon 9 Mar 09:00 is Tue 09:00; the pause holds Mon 16:00–17:00, 1 h.
    row(
        "pause-ends-after-closing-time-working-days",
        "2026-03-09 09:00",
        1,
        WD,
        [("2026-03-09 16:00", "2026-03-09 18:00")],
        "2026-03-10 10:00",
        "2026-03-10 10:00",
    ),
    # --- several pauses, each against the deadline the earlier ones gave ---
    # Due Thu 12 Mar. (1) Tue 3 14:00 → Wed 4 09:00: 9 days left from Tue 3, from Wed 4 → Fri 13.
    # (2) Mon 9 16:00 → 16:30: 4 days left, from Mon 9 → Fri 13, unchanged. (3) Fri 13 15:00 → Tue 17
    # 08:00: begins on the nominal date, no day left → Tue 17.
    # Whole days: (1) 19 h → 1, Fri 13; (2) 30 min → 1, Sat 14 → Mon 16 17:00; (3) begins before that,
    # 3 d 17 h → 4, Sat 14 + 4 = Wed 18.
    row(
        "three-pauses",
        "2026-03-02 10:00",
        10,
        CD,
        [
            ("2026-03-03 14:00", "2026-03-04 09:00"),
            ("2026-03-09 16:00", "2026-03-09 16:30"),
            ("2026-03-13 15:00", "2026-03-17 08:00"),
        ],
        "2026-03-17 17:00",
        "2026-03-18 17:00",
    ),
    # --- a pause that begins after the deadline changes nothing ---
    # Due Thu 12 Mar 17:00; a pause from 17:00 that day begins at the deadline, not before it.
    row(
        "pause-after-the-deadline",
        "2026-03-02 10:00",
        10,
        CD,
        [("2026-03-12 17:00", "2026-03-16 09:00")],
        "2026-03-12 17:00",
        "2026-03-12 17:00",
    ),
    # --- a pause that began before counting started ---
    # Received Fri 6 Mar 16:00, after the cut-off: counted from Mon 9 07:30, 3 days → Thu 12. Paused
    # Fri 6 16:30 → Tue 10 10:00, counted from Mon 9: 3 days left from Mon 9, from Tue 10 → Fri 13.
    # Whole days: Mon 07:30 → Tue 10:00 is 1 d 2.5 h → 2, Sat 14 → Mon 16.
    row(
        "pause-began-before-counting",
        "2026-03-06 16:00",
        3,
        CD,
        [("2026-03-06 16:30", "2026-03-10 10:00")],
        "2026-03-13 17:00",
        "2026-03-16 17:00",
    ),
    # Working days: counted from Mon 9 07:30, due Mon 17:00; the pause holds Mon 07:30–09:30, 2 h.
    row(
        "pause-began-before-counting-working-days",
        "2026-03-06 16:00",
        1,
        WD,
        [("2026-03-06 16:30", "2026-03-09 09:30")],
        "2026-03-10 09:30",
        "2026-03-10 09:30",
    ),
    # A pause over before counting started (Fri evening) changes nothing.
    row(
        "pause-over-before-counting",
        "2026-03-06 16:00",
        3,
        CD,
        [("2026-03-06 16:30", "2026-03-06 18:00")],
        "2026-03-12 17:00",
        "2026-03-12 17:00",
    ),
]


@pytest.mark.parametrize(("received", "amount", "unit", "pauses", "remaining_days", "whole_days"), ROWS)
def test_due_date_with_pauses(received, amount, unit, pauses, remaining_days, whole_days):
    pauses = [(at(start), at(end)) for start, end in pauses]

    for rule, expected in [
        (CalendarPauseRule.REMAINING_DAYS, remaining_days),
        (CalendarPauseRule.WHOLE_DAYS, whole_days),
    ]:
        due = WorkCalendar(calendar_pause=rule).compute_due(at(received), amount, unit, pauses=pauses)

        assert (rule, due.due_at) == (rule, at(expected))


def test_the_default_rule_counts_the_remaining_days():
    assert WorkCalendar().calendar_pause == CalendarPauseRule.REMAINING_DAYS


def test_a_pause_is_counted_once_whatever_the_order_given():
    pauses = [
        (at("2026-03-09 16:00"), at("2026-03-09 16:30")),
        (at("2026-03-03 14:00"), at("2026-03-04 09:00")),
    ]

    due = WorkCalendar().compute_due(at("2026-03-02 10:00"), 10, CD, pauses=pauses)

    assert [p.start for p in due.pauses] == [at("2026-03-03 14:00"), at("2026-03-09 16:00")]
    assert due.due_at == at("2026-03-13 17:00")


# --- explanations ---


@pytest.fixture
def vietnamese():
    with translation.override("vi"):
        yield


def explain(rule, received, amount, pauses, language="vi"):
    with translation.override(language):
        due = WorkCalendar(calendar_pause=rule).compute_due(
            at(received), amount, CD, pauses=[(at(start), at(end)) for start, end in pauses]
        )
        return due.explain()


VIETNAMESE_LETTERS = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
ACROSS_TET = ("2026-01-26 09:00", 20, [("2026-02-11 10:00", "2026-02-26 11:00")])
ISSUE_EXAMPLE = ("2025-12-05 08:46", 30, [("2026-01-05 10:00", "2026-01-07 09:00")])


def test_remaining_days_say_which_days_were_left_and_from_when():
    assert explain(CalendarPauseRule.REMAINING_DAYS, *ACROSS_TET)[3:] == [
        "Tạm dừng từ 10:00 thứ Tư, 11/02/2026 đến 11:00 thứ Năm, 26/02/2026: còn 4 ngày (đến Chủ nhật, "
        "15/02/2026), tính tiếp từ thứ Năm, 26/02/2026: đến thứ Hai, 02/03/2026.",
        "Hạn giải quyết: 17:00 thứ Hai, 02/03/2026.",
    ]


def test_no_day_left_means_the_day_the_pause_ended():
    assert explain(CalendarPauseRule.REMAINING_DAYS, *ISSUE_EXAMPLE)[3:] == [
        "Tạm dừng từ 10:00 thứ Hai, 05/01/2026 đến 09:00 thứ Tư, 07/01/2026: không còn ngày nào (thời hạn "
        "tính đến Chủ nhật, 04/01/2026), nên hạn là ngày hết tạm dừng, thứ Tư, 07/01/2026.",
        "Hạn giải quyết: 17:00 thứ Tư, 07/01/2026.",
    ]


def test_whole_days_say_how_many_days_were_added_and_the_hold():
    assert explain(CalendarPauseRule.WHOLE_DAYS, *ACROSS_TET)[3] == (
        "Tạm dừng từ 10:00 thứ Tư, 11/02/2026 đến 11:00 thứ Năm, 26/02/2026: cộng thêm 16 ngày (thời gian "
        "tạm dừng làm tròn lên ngày): đến thứ Ba, 03/03/2026."
    )
    assert explain(CalendarPauseRule.WHOLE_DAYS, *ISSUE_EXAMPLE)[3:] == [
        "Tạm dừng từ 10:00 thứ Hai, 05/01/2026 đến 09:00 thứ Tư, 07/01/2026: cộng thêm 2 ngày (thời gian "
        "tạm dừng làm tròn lên ngày): đến thứ Ba, 06/01/2026.",
        "Hạn không được trước lúc hết tạm dừng (09:00 thứ Tư, 07/01/2026) nên là 17:00 thứ Tư, 07/01/2026.",
        "Hạn giải quyết: 17:00 thứ Tư, 07/01/2026.",
    ]


def test_the_days_off_the_deadline_moved_over_come_after_the_pause():
    lines = explain(
        CalendarPauseRule.REMAINING_DAYS, "2026-02-03 09:00", 10, [("2026-02-12 10:00", "2026-02-13 09:00")]
    )

    # 1 day left (to Fri 13) counted from Fri 13: Sat 14, in the Tết break → Mon 23 Feb.
    assert lines[3].endswith(
        "còn 1 ngày (đến thứ Sáu, 13/02/2026), tính tiếp từ thứ Sáu, 13/02/2026: đến thứ Bảy, 14/02/2026."
    )
    assert lines[4] == "Hạn rơi vào ngày nghỉ thứ Bảy, 14/02/2026 (Nghỉ cuối tuần): lùi sang ngày sau."
    assert lines[-2] == "Hạn rơi vào ngày nghỉ Chủ nhật, 22/02/2026 (Nghỉ cuối tuần): lùi sang ngày sau."
    assert lines[-1] == "Hạn giải quyết: 17:00 thứ Hai, 23/02/2026."


def test_pauses_that_change_nothing_say_why():
    pauses = [("2026-03-06 16:30", "2026-03-06 18:00"), ("2026-03-12 17:00", "2026-03-13 09:00")]

    for rule in CalendarPauseRule:
        lines = explain(rule, "2026-03-06 16:00", 3, pauses)

        assert lines[-3:] == [
            "Tạm dừng từ 16:30 thứ Sáu, 06/03/2026 đến 18:00 thứ Sáu, 06/03/2026, trước khi bắt đầu tính "
            "hạn: không làm thay đổi hạn.",
            "Tạm dừng từ 17:00 thứ Năm, 12/03/2026 đến 09:00 thứ Sáu, 13/03/2026, từ sau hạn giải quyết: "
            "không làm thay đổi hạn.",
            "Hạn giải quyết: 17:00 thứ Năm, 12/03/2026.",
        ]


def test_a_working_day_pause_after_the_deadline_says_so(vietnamese):
    due = WorkCalendar().compute_due(
        at("2026-03-09 09:00"), 1, WD, pauses=[(at("2026-03-11 09:00"), at("2026-03-13 09:00"))]
    )

    assert due.pauses[0].applies is False
    assert due.explain()[-2].endswith("từ sau hạn giải quyết: không làm thay đổi hạn.")


@pytest.mark.parametrize("rule", list(CalendarPauseRule))
@pytest.mark.parametrize("case", [ACROSS_TET, ISSUE_EXAMPLE])
def test_the_explanations_have_english(rule, case):
    lines = explain(rule, *case, language="en")

    assert lines[3].startswith("Paused from 10:00 ")
    assert not [line for line in lines if VIETNAMESE_LETTERS & set(line)]
