"""A date of the online form must make sense: the field's rule (a birth date not after today, an
appointment not before) and never more than 150 years away, counted from the clock's today."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from motcua.catalog.constants import DateRule, FieldKind
from motcua.catalog.models import FormField
from motcua.catalog.services import create_procedure, publish_version
from motcua.core import clock
from motcua.dossiers import services
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.form_data import clean_form

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.date(2026, 6, 15)


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 12, tzinfo=VN)


@pytest.fixture
def on_today():
    with clock.using(lambda: noon(TODAY)):
        yield


@pytest.fixture
def dated(office):
    """A procedure of the office whose form has a birth date, an appointment and a plain date."""
    draft = create_procedure(
        "1.009999",
        version={
            "name": "Đăng ký tạm trú",
            "field": "Cư trú",
            "level": "commune",
            "mode": "full_online",
            "processing_time": "3",
            "time_unit": "working_days",
            "result": "Xác nhận tạm trú",
        },
        agencies=[office.agency],
        form=[
            {"key": "date_of_birth", "label": "Ngày sinh", "kind": "date", "date_rule": "past"},
            {"key": "stay_until", "label": "Tạm trú đến ngày", "kind": "date", "date_rule": "future"},
            {"key": "other_day", "label": "Ngày khác", "kind": "date", "required": False},
        ],
        steps=[{"name": "Tiếp nhận, giải quyết", "role": "reception", "share": "1"}],
    )
    return publish_version(draft)


def errors_for(version, **values) -> dict[str, list[str]]:
    base = {"date_of_birth": "1990-05-01", "stay_until": "2026-12-31"}
    return clean_form(version, {**base, **values}, partial=False)[1]


def test_a_birth_date_after_today_is_refused_and_the_message_names_the_field(dated, on_today):
    assert errors_for(dated, date_of_birth="2026-06-16") == {
        "date_of_birth": ["Ngày sinh không được sau ngày hôm nay."]
    }
    assert errors_for(dated, date_of_birth="2026-06-15") == {}  # born today: registered today


def test_an_appointment_before_today_is_refused(dated, on_today):
    assert errors_for(dated, stay_until="2026-06-14") == {
        "stay_until": ["Tạm trú đến ngày không được trước ngày hôm nay."]
    }
    assert errors_for(dated, stay_until="2026-06-15") == {}


def test_any_date_more_than_150_years_away_is_refused(dated, on_today):
    assert errors_for(dated, other_day="1876-06-14") == {
        "other_day": ["Ngày khác không được trước ngày 15/06/1876."]
    }
    assert errors_for(dated, date_of_birth="1026-06-15")["date_of_birth"] == [
        "Ngày sinh không được trước ngày 15/06/1876."
    ]
    assert errors_for(dated, other_day="2176-06-16") == {
        "other_day": ["Ngày khác không được sau ngày 15/06/2176."]
    }
    assert errors_for(dated, other_day="1876-06-15", date_of_birth="1876-06-15") == {}


def test_today_is_the_clocks(dated):
    with clock.using(lambda: noon(datetime.date(2020, 1, 1))):
        assert "date_of_birth" in errors_for(dated, date_of_birth="2021-03-01")
    with clock.using(lambda: noon(datetime.date(2022, 1, 1))):
        assert errors_for(dated, date_of_birth="2021-03-01", stay_until="2022-02-01") == {}


def test_a_draft_keeps_a_date_that_makes_no_sense_with_its_error(dated, office, on_today):
    dossier = services.start_dossier(version=dated, applicant=office.citizen)

    errors = services.save_draft(dossier, actor=office.citizen, form_data={"date_of_birth": "2030-01-01"})

    assert errors == {"date_of_birth": ["Ngày sinh không được sau ngày hôm nay."]}
    dossier.refresh_from_db()
    assert dossier.form_data["date_of_birth"] == "2030-01-01"
    with pytest.raises(InvalidInput) as refused:
        services.submit(dossier, actor=office.citizen, declaration=True)
    assert "date_of_birth" in refused.value.errors


def test_only_a_date_field_has_a_date_rule(dated):
    field = FormField(version=dated, key="name", label="Họ tên", kind=FieldKind.TEXT, date_rule=DateRule.PAST)

    with pytest.raises(ValidationError) as refused:
        field.full_clean()

    assert "date_rule" in refused.value.message_dict
