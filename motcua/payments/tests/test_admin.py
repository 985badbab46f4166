"""The admin shows payments read only, and only those of dossiers the viewer may see."""

import pytest
from django.test import Client

from motcua.accounts.tests.factories import StaffFactory
from motcua.payments.models import GatewayPayment, LedgerEntry, Receipt
from motcua.payments.tests.factories import started, vnpay_ipn, vnpay_result

pytestmark = pytest.mark.django_db


def test_an_operator_reads_payments_and_changes_nothing(office):
    payment = started(office)
    vnpay_ipn(Client(), vnpay_result(payment))
    admin = StaffFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)

    listing = client.get("/quan-tri/payments/gatewaypayment/")
    assert listing.status_code == 200 and payment.reference in listing.content.decode()
    detail = client.get(f"/quan-tri/payments/gatewaypayment/{payment.pk}/change/").content.decode()
    assert "paid" in detail and 'name="_save"' not in detail
    entry = LedgerEntry.objects.filter(dossier=payment.dossier).first()
    assert client.get(f"/quan-tri/payments/ledgerentry/{entry.pk}/change/").status_code == 200
    assert client.get("/quan-tri/payments/receipt/").status_code == 200
    assert client.post(f"/quan-tri/payments/gatewaypayment/{payment.pk}/delete/").status_code == 403
    assert GatewayPayment.objects.count() == 1 and Receipt.objects.count() == 1
