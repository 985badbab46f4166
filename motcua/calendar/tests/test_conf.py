import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.calendar import conf
from motcua.calendar.constants import CalendarPauseRule
from motcua.calendar.selectors import compute_due
from motcua.calendar.tests.factories import at

pytestmark = pytest.mark.django_db


def test_defaults():
    assert conf.working_hours() == (
        (datetime.time(7, 30), datetime.time(11, 30)),
        (datetime.time(13, 0), datetime.time(17, 0)),
    )
    assert conf.reception_cutoff() == datetime.time(15, 0)


def test_working_hours_and_cutoff_come_from_the_settings(settings):
    settings.MOTCUA_WORKING_HOURS = [("07:00", "11:30"), ("13:30", "17:00")]
    settings.MOTCUA_RECEPTION_CUTOFF = "16:00"

    # 0.5 day = 4 h: 09:00→11:30 2.5 h, 13:30 + 1.5 h → 15:00.
    assert compute_due(at("2026-03-09 09:00"), "0.5", "working_days").due_at == at("2026-03-09 15:00")
    # 15:30 is before the 16:00 cut-off: 1 day = 8 h, ends Tue 15:30.
    assert compute_due(at("2026-03-09 15:30"), 1, "working_days").due_at == at("2026-03-10 15:30")


@pytest.mark.parametrize(
    "hours",
    [
        [],
        [("11:30", "07:30")],
        [("07:30", "11:30"), ("11:00", "17:00")],
        [("13:00", "17:00"), ("07:30", "11:30")],
        [("7h30", "11:30")],
    ],
)
def test_bad_working_hours_are_refused(settings, hours):
    settings.MOTCUA_WORKING_HOURS = hours

    with pytest.raises(ImproperlyConfigured):
        conf.working_hours()


def test_a_bad_cutoff_is_refused(settings):
    settings.MOTCUA_RECEPTION_CUTOFF = "3pm"

    with pytest.raises(ImproperlyConfigured):
        conf.reception_cutoff()


def test_the_calendar_pause_rule_defaults_to_remaining_days():
    assert conf.calendar_pause_rule() == CalendarPauseRule.REMAINING_DAYS


@pytest.mark.parametrize(
    ("rule", "expected"), [("remaining_days", "2026-02-13 17:00"), ("whole_days", "2026-02-23 17:00")]
)
def test_the_calendar_pause_rule_comes_from_the_settings(settings, rule, expected):
    settings.MOTCUA_CALENDAR_PAUSE_RULE = rule
    # 10 days from Tue 3 Feb 2026 = Fri 13 Feb, the eve of Tết; one hour's pause that day.
    pause = (at("2026-02-13 10:00"), at("2026-02-13 11:00"))

    assert compute_due(at("2026-02-03 09:00"), 10, "calendar_days", pauses=[pause]).due_at == at(expected)


@pytest.mark.parametrize("value", ["half_days", "", None, "REMAINING_DAYS"])
def test_a_bad_calendar_pause_rule_is_refused_by_name(settings, value):
    settings.MOTCUA_CALENDAR_PAUSE_RULE = value

    with pytest.raises(
        ImproperlyConfigured, match=r"MOTCUA_CALENDAR_PAUSE_RULE: .* is not one of 'remaining_days'"
    ):
        conf.calendar_pause_rule()
