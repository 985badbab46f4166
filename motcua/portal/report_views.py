"""The public page of the province's headline figures (số liệu công khai): anyone may read it
(motcua.reports.access); the figures are motcua.reports.selectors.headline."""

import datetime

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from motcua.reports import selectors
from motcua.reports.periods import Period
from motcua.reports.units import UnknownUnit

# Years offered in the picker, counting back from this one.
YEARS_SHOWN = 3


@require_GET
def headline(request):
    today = timezone.localdate()
    years = list(range(today.year, today.year - YEARS_SHOWN, -1))
    try:
        year = int(request.GET.get("nam") or today.year)
    except ValueError:
        year = today.year
    status = 200
    if year not in years:
        year, status = today.year, 400
    period = Period(datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today))
    try:
        unit, figures = selectors.headline(period)
    except UnknownUnit:
        unit, figures = None, []
    return render(
        request,
        "portal/figures.html",
        {
            "unit": unit,
            "figures": figures,
            "period": period,
            "year": year,
            "years": years,
            "bad_year": status == 400,
        },
        status=status,
    )
