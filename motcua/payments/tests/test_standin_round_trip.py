"""The whole round trip over real HTTP: our site (the live test server) starts the payment, the payer
pays on the gateway's stand-in (its own process), the stand-in confirms to our IPN address server to
server and sends the browser back to our return page, which shows the dossier paid."""

import http.client
import urllib.parse
from http.cookies import SimpleCookie

import pytest
from django.test import Client

from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.payments.constants import EntryKind, PaymentStatus
from motcua.payments.models import LedgerEntry
from motcua.payments.services import start_payment
from motcua.payments.tests.factories import payment_requested
from motcua.payments.tests.test_reconciliation import request

pytestmark = pytest.mark.django_db(transaction=True)


class Browser:
    """GETs over HTTP with the cookies the site sets (the session, the flash messages)."""

    def __init__(self, user):
        client = Client()
        client.force_login(user)
        self.cookies = {"sessionid": client.cookies["sessionid"].value}

    def get(self, url: str) -> tuple[int, dict, str]:
        parts = urllib.parse.urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(
            "GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers={"Cookie": cookie}
        )
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        result = response.status, dict(response.getheaders()), response.read().decode()
        connection.close()
        return result


@pytest.mark.parametrize("gateway", ["vnpay", "national"])
def test_pay_on_the_stand_in_and_come_back_paid(office, standin, live_server, settings, gateway):
    settings.MOTCUA_PUBLIC_URL = live_server.url
    stand_in = standin(gateway, live_server.url)
    dossier = payment_requested(office)
    payment = start_payment(
        dossier,
        actor=office.citizen,
        gateway=gateway,
        return_url=f"{live_server.url}/thanh-toan/ve/{gateway}/",
        client_ip="127.0.0.1",
    )
    assert payment.redirect_url.startswith(stand_in.url)

    status, _headers, page = request(payment.redirect_url)
    assert status == 200 and "8.000 đ" in page
    if gateway == "vnpay":
        form = {"vnp_TxnRef": payment.reference, "result": "pay"}
        status, headers, _body = request(f"{stand_in.url}/paymentv2/ket-qua", "POST", form)
    else:
        status, headers, _body = request(payment.redirect_url, "POST", {"result": "pay"})
    assert status == 303
    back = headers["Location"]
    assert back.startswith(f"{live_server.url}/thanh-toan/ve/{gateway}/?")

    # The stand-in confirmed to our IPN address before sending the browser back.
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.events.get(status_after=PaymentStatus.PAID).source == "gateway"
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSING

    browser = Browser(office.citizen)
    status, headers, _body = browser.get(back)
    assert status == 302 and headers["Location"] == f"/ho-so-cua-toi/{dossier.public_id}/"
    status, _headers, page = browser.get(live_server.url + headers["Location"])
    assert status == 200
    assert "Đã thanh toán 8.000 đồng" in page and "Đang xử lý" in page and "Đã nộp đủ" in page
    # The return repeated what the IPN said: applied once.
    assert LedgerEntry.objects.filter(dossier=dossier, kind=EntryKind.PAYMENT).count() == 1
    assert payment.events.count() == 3


def test_a_failed_payment_comes_back_failed(office, standin, live_server, settings):
    settings.MOTCUA_PUBLIC_URL = live_server.url
    stand_in = standin("vnpay", live_server.url)
    dossier = payment_requested(office)
    payment = start_payment(
        dossier, actor=office.citizen, gateway="vnpay", return_url=f"{live_server.url}/thanh-toan/ve/vnpay/"
    )
    request(payment.redirect_url)
    status, headers, _body = request(
        f"{stand_in.url}/paymentv2/ket-qua", "POST", {"vnp_TxnRef": payment.reference, "result": "fail"}
    )
    assert status == 303
    browser = Browser(office.citizen)
    status, headers, _body = browser.get(headers["Location"])
    assert status == 302
    _status, _headers, page = browser.get(live_server.url + headers["Location"])
    assert "Thanh toán không thành công" in page
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PAYMENT
