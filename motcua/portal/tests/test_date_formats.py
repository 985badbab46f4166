"""Dates read dd/mm/yyyy in the pages of both languages (motcua/formats), and forms take them so."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.test import Client
from django.utils import formats, translation

from motcua.catalog.tests.factories import make_procedure

AT = datetime.datetime(2026, 12, 25, 2, 5, tzinfo=datetime.UTC)  # 09:05 in Vietnam


class DayForm(forms.Form):
    day = forms.DateField()
    at = forms.DateTimeField()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_and_times_read_day_month_year(language):
    with translation.override(language):
        shown = Template(
            "{{ at|date }}|{{ at|date:'DATETIME_FORMAT' }}|{{ at|date:'SHORT_DATE_FORMAT' }}"
            "|{{ at }}|{{ day }}"
        ).render(Context({"at": AT, "day": datetime.date(2026, 3, 4)}))

        assert shown == "25/12/2026|09:05 25/12/2026|25/12/2026|09:05 25/12/2026|04/03/2026"
        assert formats.date_format(datetime.date(2026, 3, 4)) == "04/03/2026"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_forms_take_dates_as_people_write_them_and_as_iso(language):
    with translation.override(language):
        for day, at in [("04/03/2026", "04/03/2026 14:30"), ("2026-03-04", "2026-03-04 14:30")]:
            form = DayForm({"day": day, "at": at})
            assert form.is_valid(), form.errors
            assert form.cleaned_data["day"] == datetime.date(2026, 3, 4)
            assert form.cleaned_data["at"].strftime("%d/%m %H:%M") == "04/03 14:30"
        assert not DayForm({"day": "03/25/2026", "at": "2026-03-04 14:30"}).is_valid()  # no month first
        # A date box (<input type="date">) still gets ISO from the form.
        assert 'value="2026-03-04"' in str(
            forms.DateField(widget=forms.DateInput(attrs={"type": "date"})).widget.render(
                "day", datetime.date(2026, 3, 4)
            )
        )


@pytest.mark.django_db
def test_the_procedure_page_dates_read_day_month_year_in_both_languages(agency):
    make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, effective_from=datetime.date(2025, 7, 1))

    assert "hiệu lực từ 01/07/2025" in Client().get("/thu-tuc/1.001193/").content.decode()
    assert "effective from 01/07/2025" in Client().get("/en/thu-tuc/1.001193/").content.decode()
