import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.calendar import conf
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
