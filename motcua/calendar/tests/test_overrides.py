import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from motcua.calendar.constants import DayKind
from motcua.calendar.models import CalendarOverride
from motcua.calendar.selectors import compute_due, work_calendar
from motcua.calendar.services import remove_override, set_override
from motcua.calendar.tests.factories import CalendarOverrideFactory, at
from motcua.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_overrides(agency, other_agency):
    for n in range(30):
        day = datetime.date(2026, 3, 2) + datetime.timedelta(days=7 * n)
        CalendarOverrideFactory(date=day)
        CalendarOverrideFactory(agency=agency, date=day + datetime.timedelta(days=1))
        CalendarOverrideFactory(agency=other_agency, date=day + datetime.timedelta(days=2))


def test_a_calendar_loads_its_overrides_in_one_query(many_overrides, agency, django_assert_num_queries):
    with django_assert_num_queries(1):
        # A long deadline crosses many overridden days; still a single query.
        due = compute_due(at("2026-03-02 09:00"), 120, "working_days", agency=agency)

    assert due.due_at > at("2026-09-01 00:00")
    assert {day.kind for day in due.skipped_days} >= {DayKind.OVERRIDE_OFF, DayKind.HOLIDAY, DayKind.WEEKEND}


def test_the_calendar_keeps_only_the_province_and_the_agency(
    many_overrides, agency, django_assert_num_queries
):
    with django_assert_num_queries(1):
        calendar = work_calendar(agency, since=datetime.date(2026, 3, 1))

    assert len(calendar.overrides) == 60  # 30 province-wide + 30 of this agency, none of the other agency
    assert calendar.day(datetime.date(2026, 3, 3)).kind == DayKind.OVERRIDE_OFF  # the agency's
    assert calendar.day(datetime.date(2026, 3, 4)).kind is None  # the other agency's


def test_overrides_before_the_reception_are_not_loaded(agency):
    CalendarOverrideFactory(date=datetime.date(2026, 1, 5))
    CalendarOverrideFactory(date=datetime.date(2026, 3, 13))

    assert list(work_calendar(agency, since=datetime.date(2026, 3, 1)).overrides) == [
        datetime.date(2026, 3, 13)
    ]
    assert len(work_calendar(agency).overrides) == 2


def test_an_agency_can_be_given_by_its_key(agency):
    CalendarOverrideFactory(agency=agency, date=datetime.date(2026, 3, 13))

    assert not work_calendar(agency.pk).is_working_day(datetime.date(2026, 3, 13))


def test_one_override_per_agency_and_date(agency):
    CalendarOverrideFactory(agency=agency, date=datetime.date(2026, 3, 13))

    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarOverrideFactory(agency=agency, date=datetime.date(2026, 3, 13), is_working_day=True)


def test_one_province_wide_override_per_date():
    CalendarOverrideFactory(date=datetime.date(2026, 3, 13))

    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarOverrideFactory(date=datetime.date(2026, 3, 13))


def test_the_province_and_an_agency_may_both_decide_a_date(agency):
    CalendarOverrideFactory(date=datetime.date(2026, 3, 13))
    CalendarOverrideFactory(agency=agency, date=datetime.date(2026, 3, 13), is_working_day=True)

    assert CalendarOverride.objects.filter(date=datetime.date(2026, 3, 13)).count() == 2


def test_set_override_creates_then_changes_and_audits(agency, admin_user):
    first = set_override(
        date=datetime.date(2026, 3, 13), is_working_day=False, note="Lễ hội", agency=agency, actor=admin_user
    )
    second = set_override(
        date=datetime.date(2026, 3, 13), is_working_day=True, note="Làm bù", agency=agency, actor=admin_user
    )

    assert second.pk == first.pk
    assert CalendarOverride.objects.get().is_working_day is True
    entries = list(AuditEntry.objects.filter(action__startswith="calendar.").order_by("id"))
    assert [e.action for e in entries] == ["calendar.override_created", "calendar.override_changed"]
    assert entries[0].actor == admin_user
    assert entries[1].data == {
        "date": "2026-03-13",
        "is_working_day": True,
        "agency_id": agency.pk,
        "note": "Làm bù",
    }


def test_remove_override_audits():
    override = set_override(date=datetime.date(2026, 3, 13), is_working_day=False, note="Lễ hội")

    remove_override(override)

    assert not CalendarOverride.objects.exists()
    assert AuditEntry.objects.filter(action="calendar.override_removed").count() == 1


def test_admin_lists_and_adds_overrides(admin_client, agency):
    CalendarOverrideFactory(date=datetime.date(2026, 3, 13), note="Lễ hội tỉnh")
    changelist = reverse("admin:workcalendar_calendaroverride_changelist")

    assert "Lễ hội tỉnh" in admin_client.get(changelist).content.decode()
    response = admin_client.post(
        reverse("admin:workcalendar_calendaroverride_add"),
        {"date": "2026-03-14", "agency": agency.pk, "is_working_day": "on", "note": "Làm bù"},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert CalendarOverride.objects.filter(agency=agency, date=datetime.date(2026, 3, 14)).exists()
    assert AuditEntry.objects.filter(action="calendar.override_created").exists()


def test_admin_refuses_a_second_province_wide_override(admin_client):
    CalendarOverrideFactory(date=datetime.date(2026, 3, 13))

    response = admin_client.post(
        reverse("admin:workcalendar_calendaroverride_add"), {"date": "2026-03-13", "note": "Trùng"}
    )

    assert response.status_code == 200  # the form comes back with the error
    assert "__all__" in response.context["adminform"].form.errors
    assert CalendarOverride.objects.count() == 1
