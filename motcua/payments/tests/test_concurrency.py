"""Twenty identical confirmations at the same instant, on PostgreSQL: one payment.

Real concurrent transactions, each through the IPN address in its own thread and database connection
(SQLite serialises writers, so this runs on PostgreSQL only)."""

import pytest
from django.test import Client

from motcua.core.tests.races import run_together
from motcua.dossiers.constants import ActionType, Status
from motcua.dossiers.models import Action, Dossier, Payment
from motcua.payments.constants import EntryKind, PaymentStatus
from motcua.payments.models import GatewayPayment, LedgerEntry, PaymentEvent, Receipt
from motcua.payments.tests.factories import started, vnpay_ipn, vnpay_result

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_20_parallel_identical_confirmations_make_one_payment(office):
    payment = started(office)
    params = vnpay_result(payment)

    outcomes = run_together([lambda: vnpay_ipn(Client(), params) for _ in range(20)])

    answers = sorted(outcome[1]["RspCode"] for outcome in outcomes if outcome[0] == "ok")
    assert [o for o in outcomes if o[0] == "error"] == []
    assert answers == ["00"] + ["02"] * 19
    dossier = Dossier.objects.get(pk=payment.dossier_id)
    assert dossier.status == Status.PROCESSING
    assert GatewayPayment.objects.get(pk=payment.pk).status == PaymentStatus.PAID
    assert LedgerEntry.objects.filter(dossier=dossier, kind=EntryKind.PAYMENT).count() == 1
    assert Payment.objects.filter(dossier=dossier).count() == 1
    assert Action.objects.filter(dossier=dossier, type=ActionType.RECORD_PAYMENT).count() == 1
    assert Receipt.objects.filter(entry__dossier=dossier).count() == 1
    assert PaymentEvent.objects.filter(payment=payment, status_after=PaymentStatus.PAID).count() == 1
