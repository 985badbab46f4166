"""An appointment (the new one of an apology, form 04) moved by the pauses that began before it.

Worked out by hand on the 2026 calendar (see test_pauses.py for the days off), default working hours.
"""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from motcua.calendar.constants import CalendarPauseRule
from motcua.calendar.selectors import move_appointment
from motcua.calendar.tests.factories import CalendarOverrideFactory, at
from motcua.calendar.workdays import WorkCalendar

WD, WH, CD = "working_days", "working_hours", "calendar_days"


def row(name, appointment, unit, pauses, remaining_days, whole_days=None, *, given_at=None):
    """``whole_days`` only differs from ``remaining_days`` for calendar days."""
    return pytest.param(
        appointment, unit, pauses, given_at, remaining_days, whole_days or remaining_days, id=name
    )


ROWS = [
    # --- working units: the working time left at the pause start counts again from its end ---
    # Appointment Fri 13 Mar 10:00, paused Wed 11 09:00 → Mon 16 09:00. Left: Wed 6.5 h, Thu 8 h,
    # Fri 2.5 h = 17 h; from Mon 09:00: Mon 6.5 h, Tue 8 h (14.5), Wed 07:30 + 2.5 h → Wed 18 10:00.
    row(
        "working-days", "2026-03-13 10:00", WD, [("2026-03-11 09:00", "2026-03-16 09:00")], "2026-03-18 10:00"
    ),
    # Across Tết: appointment Fri 13 Feb 15:00, paused Thu 12 Feb 10:00 → Tue 24 Feb 08:00. Left: Thu
    # 5.5 h, Fri 6 h = 11.5 h; from Tue 08:00: 3.5 h + 4 h (7.5), Wed 07:30 + 4 h → Wed 25 11:30.
    row(
        "working-days-across-tet",
        "2026-02-13 15:00",
        WD,
        [("2026-02-12 10:00", "2026-02-24 08:00")],
        "2026-02-25 11:30",
    ),
    # Working hours: appointment Mon 9 Mar 16:00, paused 14:00 → Tue 09:00: 2 h left → Tue 11:00.
    row(
        "working-hours",
        "2026-03-09 16:00",
        WH,
        [("2026-03-09 14:00", "2026-03-10 09:00")],
        "2026-03-10 11:00",
    ),
    # A pause that begins at or after the appointment changes nothing.
    row(
        "pause-after-the-appointment",
        "2026-03-13 10:00",
        WD,
        [("2026-03-13 10:00", "2026-03-16 09:00")],
        "2026-03-13 10:00",
    ),
    # Only the part after the apology counts: paused Tue 10 09:00 → Wed 11 14:00, apology Wed 11 10:00.
    # Left from Wed 10:00: Wed 1.5 h + 4 h, Thu 8 h, Fri 2.5 h = 16 h; from Wed 14:00: 3 h, Thu 8 h (11),
    # Fri 4 h (15) + 13:00 + 1 h → Fri 14:00 (the 2.5 working hours after the apology).
    row(
        "part-after-the-apology",
        "2026-03-13 10:00",
        WD,
        [("2026-03-10 09:00", "2026-03-11 14:00")],
        "2026-03-13 14:00",
        given_at="2026-03-11 10:00",
    ),
    row(
        "pause-before-the-apology",
        "2026-03-13 10:00",
        WD,
        [("2026-03-10 09:00", "2026-03-11 09:00")],
        "2026-03-13 10:00",
        given_at="2026-03-11 10:00",
    ),
    # --- calendar days: the configured rule, then off a day off, at the appointment's time ---
    # Appointment Fri 13 Mar 10:00, paused Wed 11 09:00 → Mon 16 11:00: 2 days left, Mon 16 + 2 = Wed 18.
    # Whole days: 5 d 2 h → 6, Fri 13 + 6 = Thu 19.
    row(
        "calendar-days",
        "2026-03-13 10:00",
        CD,
        [("2026-03-11 09:00", "2026-03-16 11:00")],
        "2026-03-18 10:00",
        "2026-03-19 10:00",
    ),
    # Appointment Thu 12 Feb 10:00, paused Wed 11 09:00 → Fri 13 09:00: 1 day left, Sat 14 (Tết break)
    # → Mon 23 Feb 10:00. Whole days: 2 days, Sat 14 → Mon 23.
    row(
        "calendar-days-into-tet",
        "2026-02-12 10:00",
        CD,
        [("2026-02-11 09:00", "2026-02-13 09:00")],
        "2026-02-23 10:00",
    ),
    # Paused on the appointment's day 09:00 → 11:00: no day left, Thu 12 10:00 is before the end of the
    # pause, so the closing time that day. Whole days: 2 h → 1 day, Fri 13 10:00.
    row(
        "calendar-days-pause-on-the-day",
        "2026-03-12 10:00",
        CD,
        [("2026-03-12 09:00", "2026-03-12 11:00")],
        "2026-03-12 17:00",
        "2026-03-13 10:00",
    ),
    row(
        "calendar-days-pause-after",
        "2026-03-12 10:00",
        CD,
        [("2026-03-12 10:00", "2026-03-13 11:00")],
        "2026-03-12 10:00",
    ),
]


@pytest.mark.parametrize(("appointment", "unit", "pauses", "given_at", "remaining_days", "whole_days"), ROWS)
def test_moved_appointment(appointment, unit, pauses, given_at, remaining_days, whole_days):
    pauses = [(at(start), at(end)) for start, end in pauses]

    for rule, expected in [
        (CalendarPauseRule.REMAINING_DAYS, remaining_days),
        (CalendarPauseRule.WHOLE_DAYS, whole_days),
    ]:
        moved = WorkCalendar(calendar_pause=rule).move_appointment(
            at(appointment), unit, pauses=pauses, given_at=at(given_at) if given_at else None
        )

        assert (rule, moved.moved_to) == (rule, at(expected))
        assert moved.moved == (moved.moved_to != at(appointment))


@pytest.fixture
def vietnamese():
    with translation.override("vi"):
        yield


def test_a_working_day_appointment_is_explained(vietnamese):
    moved = WorkCalendar().move_appointment(
        at("2026-03-13 10:00"),
        WD,
        pauses=[
            (at("2026-03-11 09:00"), at("2026-03-16 09:00")),
            (at("2026-03-19 08:00"), at("2026-03-19 09:00")),
        ],
    )

    assert moved.explain() == [
        "Hẹn trả kết quả: 10:00 thứ Sáu, 13/03/2026.",
        "Tạm dừng từ 09:00 thứ Tư, 11/03/2026 đến 09:00 thứ Hai, 16/03/2026: còn 2 ngày 1 giờ làm việc "
        "đến hẹn, tính tiếp từ 09:00 thứ Hai, 16/03/2026: đến 10:00 thứ Tư, 18/03/2026.",
        "Tạm dừng từ 08:00 thứ Năm, 19/03/2026 đến 09:00 thứ Năm, 19/03/2026, từ sau hẹn: không làm thay "
        "đổi hẹn.",
        "Hẹn mới: 10:00 thứ Tư, 18/03/2026.",
    ]


def test_a_calendar_day_appointment_is_explained_under_each_rule(vietnamese):
    pauses = [(at("2026-02-11 09:00"), at("2026-02-13 09:00"))]
    remaining = WorkCalendar().move_appointment(at("2026-02-12 10:00"), CD, pauses=pauses)
    whole = WorkCalendar(calendar_pause="whole_days").move_appointment(
        at("2026-02-12 10:00"), CD, pauses=pauses
    )

    assert remaining.explain()[1] == (
        "Tạm dừng từ 09:00 thứ Tư, 11/02/2026 đến 09:00 thứ Sáu, 13/02/2026: còn 1 ngày đến hẹn, tính tiếp "
        "từ thứ Sáu, 13/02/2026: đến thứ Bảy, 14/02/2026."
    )
    assert whole.explain()[1] == (
        "Tạm dừng từ 09:00 thứ Tư, 11/02/2026 đến 09:00 thứ Sáu, 13/02/2026: hẹn lùi thêm 2 ngày (thời gian "
        "tạm dừng làm tròn lên ngày): đến thứ Bảy, 14/02/2026."
    )
    for moved in (remaining, whole):
        assert [day.date.day for day in moved.skipped_days] == list(range(14, 23))
        assert (
            moved.explain()[2]
            == "Hẹn rơi vào ngày nghỉ thứ Bảy, 14/02/2026 (Nghỉ cuối tuần): lùi sang ngày sau."
        )
        assert moved.explain()[-1] == "Hẹn mới: 10:00 thứ Hai, 23/02/2026."


def test_an_appointment_held_to_the_end_of_the_pause_says_so(vietnamese):
    moved = WorkCalendar().move_appointment(
        at("2026-03-12 10:00"), CD, pauses=[(at("2026-03-12 09:00"), at("2026-03-12 11:00"))]
    )

    assert moved.explain()[1:] == [
        "Tạm dừng từ 09:00 thứ Năm, 12/03/2026 đến 11:00 thứ Năm, 12/03/2026: bắt đầu vào ngày hẹn nên hẹn "
        "là ngày hết tạm dừng, thứ Năm, 12/03/2026.",
        "Hẹn không được trước lúc hết tạm dừng (11:00 thứ Năm, 12/03/2026) nên là 17:00 thứ Năm, 12/03/2026.",
        "Hẹn mới: 17:00 thứ Năm, 12/03/2026.",
    ]


def test_an_unmoved_appointment_is_explained(vietnamese):
    moved = WorkCalendar().move_appointment(
        at("2026-03-13 10:00"),
        WD,
        pauses=[(at("2026-03-10 09:00"), at("2026-03-11 09:00"))],
        given_at=at("2026-03-11 10:00"),
    )

    assert not moved.moved
    assert moved.explain()[1:] == [
        "Tạm dừng từ 09:00 thứ Ba, 10/03/2026 đến 09:00 thứ Tư, 11/03/2026, trước khi có hẹn: không làm "
        "thay đổi hẹn.",
        "Hẹn không thay đổi: 10:00 thứ Sáu, 13/03/2026.",
    ]


def test_the_explanation_has_english():
    with translation.override("en"):
        moved = WorkCalendar().move_appointment(
            at("2026-03-13 10:00"), CD, pauses=[(at("2026-03-11 09:00"), at("2026-03-16 11:00"))]
        )
        lines = moved.explain()

    assert lines[0].startswith("Appointment: 10:00")
    assert "2 days left before the appointment, counted again from" in lines[1]
    assert lines[-1].startswith("New appointment: 10:00")


@pytest.mark.parametrize(
    ("appointment", "given_at", "pauses"),
    [
        (datetime.datetime(2026, 3, 13, 10, 0), None, []),
        (at("2026-03-13 10:00"), datetime.datetime(2026, 3, 11, 10, 0), []),
        (at("2026-03-13 10:00"), None, [(at("2026-03-12 10:00"), at("2026-03-12 09:00"))]),
    ],
)
def test_bad_input_is_refused(appointment, given_at, pauses):
    with pytest.raises(ValueError):
        WorkCalendar().move_appointment(appointment, WD, pauses=pauses, given_at=given_at)


# --- the selector: the agency's calendar and the setting ---


@pytest.mark.django_db
def test_the_selector_uses_the_agency_calendar_in_one_query(agency, django_assert_num_queries):
    # Paused Thu 12 Mar 09:00 → Fri 13 17:00; appointment Mon 16 09:00. With Friday off for the agency,
    # 6.5 working hours were paused: Mon 09:00 + 6.5 h → 17:00. Province-wide Friday is worked: 14.5 h,
    # Mon 6.5 h + Tue 8 h → Tue 17:00.
    CalendarOverrideFactory(agency=agency, date=datetime.date(2026, 3, 13))
    pauses = [(at("2026-03-12 09:00"), at("2026-03-13 17:00"))]

    with django_assert_num_queries(1):
        for_agency = move_appointment(at("2026-03-16 09:00"), WD, agency=agency, pauses=pauses)
    province = move_appointment(at("2026-03-16 09:00"), WD, pauses=pauses)

    assert for_agency.moved_to == at("2026-03-16 17:00")
    assert province.moved_to == at("2026-03-17 17:00")


@pytest.mark.django_db
def test_the_selector_loads_overrides_from_the_first_pause(agency):
    # The pause began before the day off; an appointment-only window would miss the override.
    CalendarOverrideFactory(agency=agency, date=datetime.date(2026, 3, 13))

    moved = move_appointment(
        at("2026-03-16 09:00"), WD, agency=agency, pauses=[(at("2026-03-12 09:00"), at("2026-03-13 17:00"))]
    )

    assert moved.moved_to == at("2026-03-16 17:00")


@pytest.mark.django_db
def test_the_selector_follows_the_setting(settings):
    pauses = [(at("2026-03-12 09:00"), at("2026-03-12 11:00"))]

    settings.MOTCUA_CALENDAR_PAUSE_RULE = "whole_days"
    assert move_appointment(at("2026-03-12 10:00"), CD, pauses=pauses).moved_to == at("2026-03-13 10:00")

    settings.MOTCUA_CALENDAR_PAUSE_RULE = "half_days"
    with pytest.raises(ImproperlyConfigured, match="MOTCUA_CALENDAR_PAUSE_RULE"):
        move_appointment(at("2026-03-12 10:00"), CD, pauses=pauses)
