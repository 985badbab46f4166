"""The demo's fee-bearing dossiers carry their payments: requested, paid online through the gateway or
at the counter, each in the ledger with its receipt; those still waiting owe what was asked."""

import io

import pytest
from django.core.management import call_command

from motcua.dossiers.constants import ActionType, Status
from motcua.dossiers.models import Dossier
from motcua.payments.constants import EntryKind, PaymentStatus
from motcua.payments.models import GatewayPayment, LedgerEntry, Receipt
from motcua.payments.selectors import totals

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queued_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def test_the_demo_dossiers_pay_online_and_at_the_counter():
    call_command("load_demo", "--dossiers=80", stdout=io.StringIO())

    paid = Dossier.objects.filter(actions__type=ActionType.RECORD_PAYMENT).distinct()
    assert paid.count() >= 3
    for dossier in paid:
        assert totals(dossier).balance == 0, dossier
        assert (
            dossier.payments.count()
            == LedgerEntry.objects.filter(
                dossier=dossier, kind=EntryKind.PAYMENT, dossier_payment__isnull=False
            ).count()
        )
    methods = set(LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).values_list("method", flat=True))
    assert "online" in methods and methods & {"cash", "bank_transfer"}
    assert GatewayPayment.objects.filter(status=PaymentStatus.PAID).exists()
    assert Receipt.objects.count() == LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count()
    for dossier in Dossier.objects.filter(status=Status.PAYMENT):
        assert totals(dossier).balance == dossier.fee_due > 0
    assert Dossier.objects.filter(status=Status.PAYMENT, applicant__username="citizen").exists()
