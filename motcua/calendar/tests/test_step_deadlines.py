from decimal import Decimal

import pytest

from motcua.calendar.selectors import step_deadlines
from motcua.calendar.tests.factories import at
from motcua.calendar.workdays import WorkCalendar

pytestmark = pytest.mark.django_db


def test_steps_follow_each_other_and_end_with_the_dossier(agency):
    # 3 working days = 24 h from Mon 9 Mar 09:00, split 0.1 / 0.6 / 0.3.
    steps = step_deadlines(at("2026-03-09 09:00"), 3, "working_days", ["0.1", "0.6", "0.3"], agency=agency)

    assert [(s.number, s.share, s.starts_at, s.due_at) for s in steps] == [
        # 0.1 × 24 h = 2 h 24: 09:00 + 2 h 24 → 11:24.
        (1, Decimal("0.1"), at("2026-03-09 09:00"), at("2026-03-09 11:24")),
        # 0.7 × 24 h = 16 h 48: Mon 6.5 h, Tue 8 h (14.5), Wed 07:30 + 2 h 18 → 09:48.
        (2, Decimal("0.6"), at("2026-03-09 11:24"), at("2026-03-11 09:48")),
        # All 24 h: Mon 6.5, Tue 8, Wed 8 (22.5), Thu 07:30 + 1.5 h → 09:00.
        (3, Decimal("0.3"), at("2026-03-11 09:48"), at("2026-03-12 09:00")),
    ]


def test_steps_skip_tet_and_start_after_the_cutoff():
    calendar = WorkCalendar()

    # Received Fri 13 Feb 2026 after 15:00: counted from Mon 23 Feb 07:30; 2 days split in halves.
    steps = calendar.step_deadlines(
        at("2026-02-13 16:00"), 2, "working_days", [Decimal("0.5"), Decimal("0.5")]
    )

    assert [(s.starts_at, s.due_at) for s in steps] == [
        (at("2026-02-23 07:30"), at("2026-02-23 17:00")),
        (at("2026-02-23 17:00"), at("2026-02-24 17:00")),
    ]


def test_a_pause_delays_only_the_steps_still_running():
    calendar = WorkCalendar()
    pause = (at("2026-03-10 07:30"), at("2026-03-11 07:30"))  # all of Tuesday

    first, second = calendar.step_deadlines(
        at("2026-03-09 07:30"), 2, "working_days", ["0.5", "0.5"], pauses=[pause]
    )

    assert first.due_at == at("2026-03-09 17:00")
    assert second.due_at == at("2026-03-11 17:00")


@pytest.mark.parametrize("shares", [[], ["0.5", "0.4"], ["0.5", "0.6", "-0.1"], ["1.1", "-0.1"]])
def test_shares_must_add_up_to_one(shares):
    with pytest.raises(ValueError, match="add up to 1"):
        WorkCalendar().step_deadlines(at("2026-03-09 09:00"), 3, "working_days", shares)
