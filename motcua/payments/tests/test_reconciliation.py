"""Reconciliation with the gateway's status answers, against the stand-ins over HTTP: a confirmation we
missed is applied, a payment the gateway does not know is reported."""

import http.client
import io
import re
import urllib.parse

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.payments.constants import PaymentStatus
from motcua.payments.models import GatewayPayment
from motcua.payments.services import reconcile
from motcua.payments.tests.factories import payment_requested, started

pytestmark = pytest.mark.django_db


def request(url: str, method: str = "GET", form: dict | None = None) -> tuple[int, dict, str]:
    """One HTTP request, redirects not followed: (status, headers, body)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    body = urllib.parse.urlencode(form).encode() if form is not None else None
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    result = response.status, dict(response.getheaders()), response.read().decode()
    connection.close()
    return result


def pay_on_vnpay(payment: GatewayPayment, *, skip_ipn: bool) -> str:
    """The payer on the VNPay stand-in's page pays; returns where the browser is sent back."""
    status, _headers, page = request(payment.redirect_url)
    assert status == 200 and "Thanh toán phí, lệ phí" in page and "8.000 đ" in page
    action = re.search(r'<form method="post" action="([^"]+)"', page).group(1)
    base = payment.redirect_url.split("/paymentv2/")[0]
    form = {"vnp_TxnRef": payment.reference, "result": "pay", **({"skip_ipn": "1"} if skip_ipn else {})}
    status, headers, _body = request(base + action, "POST", form)
    assert status == 303
    return headers["Location"]


def test_reconciliation_applies_a_missed_confirmation(office, standin):
    standin("vnpay")
    payment = started(office)
    pay_on_vnpay(payment, skip_ipn=True)  # the gateway took the money; its confirmation never came
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING

    report = reconcile(timezone.localdate(), "vnpay")

    assert [(line.reference, line.result) for line in report.lines] == [(payment.reference, "fixed")]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.gateway_transaction
    assert payment.events.last().source == "reconcile"
    assert Dossier.objects.get(pk=payment.dossier_id).status == Status.PROCESSING
    # Run again, nothing left to fix.
    again = reconcile(timezone.localdate(), "vnpay")
    assert [line.result for line in again.lines] == ["agree"]


def test_reconciliation_reports_a_payment_the_gateway_does_not_know(office, standin):
    standin("vnpay")
    known = started(office)
    pay_on_vnpay(known, skip_ipn=False)  # its confirmation goes to a closed port: lost too
    unknown = started(office, payment_requested(office))  # the payer never reached the gateway
    out = io.StringIO()

    with pytest.raises(SystemExit) as exit_status:
        call_command("reconcile_payments", date=timezone.localdate().isoformat(), gateway="vnpay", stdout=out)

    assert exit_status.value.code == 1
    text = out.getvalue()
    assert re.search(rf"fixed\s+{known.reference}", text)
    assert re.search(rf"mismatch\s+{unknown.reference}.*Cổng thanh toán không biết giao dịch này", text)
    assert "2 payments, 0 agree, 1 fixed, 1 mismatches, 0 errors" in text
    unknown.refresh_from_db()
    assert unknown.status == PaymentStatus.PENDING  # reported, not changed


def test_reconciliation_with_the_national_platform(office, standin):
    national = standin("national")
    payment = started(office, gateway="national")
    assert payment.redirect_url.startswith(national.url + "/thanh-toan/")
    status, _headers, _page = request(payment.redirect_url)
    assert status == 200
    status, headers, _body = request(payment.redirect_url, "POST", {"result": "pay", "skip_ipn": "1"})
    assert status == 303 and headers["Location"].startswith("http://127.0.0.1:9/thanh-toan/ve/national/?")

    report = reconcile(timezone.localdate(), "national")

    assert [line.result for line in report.lines] == ["fixed"]
    assert GatewayPayment.objects.get(pk=payment.pk).status == PaymentStatus.PAID


def test_a_gateway_that_does_not_answer_is_an_error_line(office, settings):
    payment = started(office)
    settings.MOTCUA_VNPAY_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.MOTCUA_PAYMENT_TIMEOUT_SECONDS = 2
    report = reconcile(timezone.localdate(), "vnpay")
    assert [(line.reference, line.result) for line in report.lines] == [(payment.reference, "error")]


def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--date"):
        call_command("reconcile_payments", date="12/03/2026", gateway="vnpay")
