"""The applicant's pages: the payment request and the pay button on the dossier's page, the choice of
gateway, the return from the gateway, the receipt; and the IPN address."""

import urllib.parse

import pytest
from django.test import Client

from motcua.dossiers.tests.factories import received
from motcua.payments.constants import PaymentStatus
from motcua.payments.models import GatewayPayment, Receipt
from motcua.payments.tests.factories import payment_requested, started, vnpay_ipn, vnpay_result

pytestmark = pytest.mark.django_db


def _page(client, dossier, prefix=""):
    return client.get(f"{prefix}/ho-so-cua-toi/{dossier.public_id}/").content.decode()


def test_the_dossier_page_asks_for_the_payment_and_offers_the_gateways(office, as_user):
    dossier = payment_requested(office)
    page = _page(as_user(office.citizen), dossier)
    assert "Yêu cầu thực hiện nghĩa vụ tài chính" in page
    assert "Cơ quan giải quyết đề nghị ông/bà nộp 8.000 đ" in page
    assert 'name="gateway" id="gateway-national" value="national" checked' in page
    assert 'value="vnpay"' in page and "VNPAY" in page and "Cổng Dịch vụ công quốc gia" in page
    assert f'action="/ho-so-cua-toi/{dossier.public_id}/thanh-toan/"' in page
    english = _page(as_user(office.citizen), dossier, "/en")
    assert "Payment requested" in english and "Pay 8.000 đ" in english and "Pay online through" in english


def test_no_payment_block_before_any_payment_is_asked(office, as_user):
    page = _page(as_user(office.citizen), received(office))
    assert "Nghĩa vụ tài chính" not in page and "/thanh-toan/" not in page


def test_the_pay_button_sends_the_payer_to_the_gateway(office, as_user):
    dossier = payment_requested(office)
    response = as_user(office.citizen).post(
        f"/ho-so-cua-toi/{dossier.public_id}/thanh-toan/", {"gateway": "vnpay"}
    )
    assert response.status_code == 302
    payment = GatewayPayment.objects.get(dossier=dossier)
    assert response["Location"] == payment.redirect_url and payment.status == PaymentStatus.PENDING
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(payment.redirect_url).query))
    assert query["vnp_ReturnUrl"] == "http://testserver/thanh-toan/ve/vnpay/"
    assert query["vnp_Amount"] == "800000" and query["vnp_TxnRef"] == payment.reference


def test_choosing_no_gateway_or_an_unreachable_one_says_so(office, as_user, settings):
    dossier = payment_requested(office)
    client = as_user(office.citizen)
    page = client.post(f"/ho-so-cua-toi/{dossier.public_id}/thanh-toan/", {}, follow=True).content.decode()
    assert "Cổng thanh toán không hợp lệ." in page
    settings.MOTCUA_NATIONAL_PAYMENT_URL = "http://127.0.0.1:9"  # nothing listens there
    page = client.post(
        f"/ho-so-cua-toi/{dossier.public_id}/thanh-toan/", {"gateway": "national"}, follow=True
    ).content.decode()
    assert "Cổng thanh toán chưa trả lời" in page
    assert GatewayPayment.objects.get(dossier=dossier).status == PaymentStatus.FAILED


def test_only_the_applicant_pays(office, as_user):
    dossier = payment_requested(office)
    url = f"/ho-so-cua-toi/{dossier.public_id}/thanh-toan/"
    assert as_user(office.stranger).post(url, {"gateway": "vnpay"}).status_code == 404
    assert as_user(office.reception).post(url, {"gateway": "vnpay"}).status_code == 404
    assert Client().post(url, {"gateway": "vnpay"}).status_code == 302  # to the login page
    assert not GatewayPayment.objects.exists()


def test_the_return_page_applies_the_signed_answer_once(office, as_user):
    payment = started(office)
    client = as_user(office.citizen)
    params = urllib.parse.urlencode(vnpay_result(payment))
    page = client.get(f"/thanh-toan/ve/vnpay/?{params}", follow=True).content.decode()
    assert "Đã thanh toán 8.000 đồng" in page and "Đã nộp đủ" in page
    assert "Biên lai số" in page
    # Its IPN, arriving later, is a replay.
    assert vnpay_ipn(Client(), vnpay_result(payment))["RspCode"] == "02"


def test_a_forged_return_is_refused(office, as_user):
    payment = started(office)
    params = {**vnpay_result(payment), "vnp_ResponseCode": "00", "vnp_Amount": "100"}
    page = (
        as_user(office.citizen)
        .get(f"/thanh-toan/ve/vnpay/?{urllib.parse.urlencode(params)}", follow=True)
        .content.decode()
    )
    assert "Không xác nhận được kết quả thanh toán" in page
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_the_receipt_is_for_those_who_may_see_the_dossier(office, as_user):
    payment = started(office)
    vnpay_ipn(Client(), vnpay_result(payment))
    receipt = Receipt.objects.get(entry__gateway_payment=payment)
    url = f"/ho-so-cua-toi/{payment.dossier.public_id}/bien-lai/{receipt.pk}/"

    mine = as_user(office.citizen).get(url)
    assert mine.status_code == 200 and mine["Content-Type"] == "application/pdf"
    assert b"".join(mine.streaming_content).startswith(b"%PDF")  # rendered on this first download
    assert "inline" in mine["Content-Disposition"] and mine["Cache-Control"] == "private, no-store"
    assert as_user(office.reception).get(url).status_code == 200
    assert as_user(office.stranger).get(url).status_code == 404
    assert as_user(office.outsider).get(url).status_code == 404


def test_the_ipn_address_of_an_unknown_gateway_is_a_404():
    assert Client().get("/thanh-toan/ipn/paypal/").status_code == 404
