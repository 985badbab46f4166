"""On the demo data, every indicator from the aggregates equals a direct count over the dossiers
(motcua.reports.direct), for three units (the province, a commune, a department) and two periods
(a quarter, and a span that starts and ends inside months); and the drill-down lists exactly the
dossiers a count counts."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.dossiers.constants import AttachmentKind, SignatureState
from motcua.dossiers.models import Attachment
from motcua.reports import selectors
from motcua.reports.direct import Direct
from motcua.reports.facts import rebuild
from motcua.reports.periods import Period
from motcua.reports.selectors import AVERAGE, BY_CODE, DAYS, NotDossiers
from motcua.reports.units import unit_from_key

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queued_tasks(settings, media):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _periods(today: datetime.date) -> list[Period]:
    quarter = (today.month - 1) // 3 + 1
    this_quarter = Period.quarter(today.year, quarter)
    return [
        this_quarter.previous(),
        Period(today - datetime.timedelta(days=130), today - datetime.timedelta(days=17)),
    ]


def test_every_indicator_equals_a_direct_count():
    call_command("load_demo", "--dossiers=150", stdout=io.StringIO())
    # Some results signed, so that the signed count is not 0 = 0 (the task worker signs them in the demo).
    results = Attachment.objects.filter(kind=AttachmentKind.RESULT).order_by("pk")
    Attachment.objects.filter(pk__in=[a.pk for a in results[::2]]).update(
        signature_state=SignatureState.SIGNED
    )
    rebuild()
    now = timezone.now()
    units = [unit_from_key("dvhc-08"), unit_from_key("dvhc-02215"), unit_from_key("000.00.12.H59")]
    checked = 0
    for unit in units:
        for period in _periods(timezone.localdate()):
            direct = Direct(unit, period, now)
            for figure in selectors.indicators(unit, period, now=now):
                indicator = BY_CODE[figure.code]
                expected = direct.count(indicator.numerator)
                if indicator.kind == DAYS:
                    assert abs(float(figure.numerator) - expected / 86400) < 0.0001, (unit, period, figure)
                else:
                    assert figure.numerator == expected, (unit.key, period, figure)
                if indicator.denominator:
                    assert figure.denominator == direct.count(indicator.denominator), (
                        unit.key,
                        period,
                        figure,
                    )
                checked += 1
                try:
                    behind = selectors.dossiers_behind(unit, period, figure.code, now=now)
                except NotDossiers:
                    continue
                if indicator.numerator == "supplement_requests":
                    assert behind.count() <= figure.numerator
                elif indicator.kind == AVERAGE:  # a sum of answers: the dossiers are those rated
                    assert behind.count() == figure.denominator, (unit.key, period, figure.code)
                elif indicator.kind != DAYS:
                    assert behind.count() == figure.numerator, (unit.key, period, figure.code)
    assert checked == 3 * 2 * len(selectors.INDICATORS)

    # The demo has something to count in every group: no check above compared 0 with 0 only.
    today = timezone.localdate()
    year = Period(today - datetime.timedelta(days=365), today)
    figures = {f.code: f.value for f in selectors.indicators(units[0], year)}
    for code in [
        "received_online",
        "received_counter",
        "done_on_time",
        "done_late",
        "refused",
        "withdrawn",
        "stopped",
        "supplement_requests",
        "in_progress",
        "overdue_now",
        "fee_bearing",
        "paid_online",
        "returned",
        "results_electronic",
        "results_signed",
        "digitised",
        "procedures_online_used",
    ]:
        assert figures[code], code
