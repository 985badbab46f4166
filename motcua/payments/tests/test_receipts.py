"""The electronic receipt (biên lai) of a payment: what its PDF says."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from motcua.payments.models import Receipt
from motcua.payments.receipts import amount_in_words, layout
from motcua.payments.services import record_counter_payment, render_receipt_pdf
from motcua.payments.tests.factories import payment_requested, started, vnpay_ipn, vnpay_result

pytestmark = pytest.mark.django_db


def _text(receipt: Receipt) -> str:
    render_receipt_pdf(receipt)
    with receipt.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_an_online_payments_receipt(office):
    payment = started(office)
    vnpay_ipn(Client(), vnpay_result(payment))
    receipt = Receipt.objects.get(entry__gateway_payment=payment)

    text = _text(receipt)

    for expected in [
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "(Biên lai điện tử)",
        f"Số: {receipt.number}",
        payment.dossier.code,
        "Ủy ban nhân dân phường Minh Xuân",
        "Nguyễn Văn An",
        "Phí cấp bản sao",
        "8.000 đồng",
        "Tám nghìn đồng",
        "Thanh toán trực tuyến qua VNPAY",
        "14226112",
        "Đăng ký khai sinh",
    ]:
        assert expected in text, expected
    assert receipt.sha256 and receipt.size


def test_a_counter_payments_receipt_names_the_officer(office):
    dossier = payment_requested(office)
    record_counter_payment(dossier, actor=office.reception, amount=8000, method="cash", reference="BL-01")
    text = _text(Receipt.objects.get(entry__dossier=dossier))
    assert "Tiền mặt tại bộ phận một cửa" in text and "BL-01" in text
    assert office.reception.full_name in text


def test_the_same_snapshot_lays_out_the_same_text(office):
    payment = started(office)
    vnpay_ipn(Client(), vnpay_result(payment))
    receipt = Receipt.objects.get(entry__gateway_payment=payment)
    pages = layout(receipt.snapshot).pages
    assert len(pages) == 1  # one A4 page


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (8000, "Tám nghìn đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi tư đồng"),
        (105, "Một trăm linh năm đồng"),
        (125_000, "Một trăm hai mươi lăm nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (1_000_010, "Một triệu không trăm mười đồng"),
        (2_500_000_000, "Hai tỷ năm trăm triệu đồng"),
        (10**12, "Một nghìn tỷ đồng"),
    ],
)
def test_amounts_in_words(amount, words):
    assert amount_in_words(amount) == words
