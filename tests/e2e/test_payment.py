"""Paying the fees online in a real browser: a citizen submits a fee-bearing dossier, the officers
receive it and ask for the fees, the citizen pays on the national payment platform's stand-in (its own
process, speaking the protocol over HTTP) and comes back to the dossier paid, in processing again.
Every page is kept as a screenshot."""

import re

import pytest
from playwright.sync_api import expect

from motcua.dossiers.constants import ActionType, Status
from motcua.dossiers.models import Dossier
from motcua.payments.constants import EntryKind, PaymentStatus
from motcua.payments.models import GatewayPayment, LedgerEntry
from motcua.payments.tests.conftest import Standin
from tests.e2e.test_dossier_journey import PDF, act, log_in, log_out

pytestmark = pytest.mark.browser


@pytest.fixture
def national_standin(demo_site, settings):
    """The national payment platform's stand-in, confirming to the live test site; the site's
    Content-Security-Policy lets the pay button's form lead to it."""
    process = Standin("national", demo_site)
    settings.MOTCUA_NATIONAL_PAYMENT_URL = process.url
    settings.MOTCUA_PUBLIC_URL = demo_site
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": ["'self'", process.url]}
    yield process
    process.stop()


def test_a_citizen_pays_the_fees_online_and_the_dossier_goes_on(
    page, shots, demo_site, national_standin, tmp_path
):
    site = demo_site
    scan = tmp_path / "ban-chinh.pdf"
    scan.write_bytes(PDF)

    # The citizen applies for certified copies: 2.000 đ a copy, three copies.
    log_in(page, site, "citizen")
    page.goto(f"{site}/thu-tuc/2.000815/")
    page.get_by_label("Nộp tại").select_option(label="Ủy ban nhân dân phường Minh Xuân")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Khai hồ sơ")
    page.get_by_label("Tên giấy tờ, văn bản cần chứng thực bản sao").fill("Bằng tốt nghiệp đại học")
    page.get_by_label("Số trang của bản chính").fill("2")
    page.get_by_label("Số bản sao cần chứng thực").fill("3")
    page.locator("input[type=file]").first.set_input_files(str(scan))
    shots("form")
    page.get_by_role("button", name="Xem lại và gửi").click()
    expect(page.get_by_text("6.000 đ").first).to_be_visible()
    page.get_by_label(re.compile("Tôi xin cam đoan")).check()
    shots("review")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_text("Mới đăng ký").first).to_be_visible()
    dossier = Dossier.objects.get(
        applicant__username="citizen", procedure_version__procedure__code="2.000815"
    )
    assert dossier.fee_due == 6000
    log_out(page)

    # The one-stop unit receives it; the specialist asks for the fees (status 6).
    log_in(page, site, "reception")
    page.goto(f"{site}/can-bo/ho-so/{dossier.code}/")
    act(page, shots, "Tiếp nhận hồ sơ", "Tiếp nhận và cấp giấy hẹn", "received")
    log_out(page)
    log_in(page, site, "specialist")
    page.goto(f"{site}/can-bo/ho-so/{dossier.code}/")
    page.get_by_text("Thao tác khác").click()  # the payment request is among the other actions
    form = page.locator("section.bo-action").filter(
        has=page.get_by_role("heading", name="Yêu cầu nộp phí, lệ phí")
    )
    expect(form.get_by_label(re.compile("Số tiền"))).to_have_value("6000")  # what the form asks for
    act(page, shots, "Yêu cầu nộp phí, lệ phí", "Gửi yêu cầu nộp phí", "payment-requested")
    dossier.refresh_from_db()
    assert dossier.status == Status.PAYMENT
    log_out(page)

    # The citizen sees the request and pays on the national platform.
    log_in(page, site, "citizen")
    page.goto(f"{site}/ho-so-cua-toi/{dossier.public_id}/")
    expect(page.get_by_text("Yêu cầu thực hiện nghĩa vụ tài chính").first).to_be_visible()
    fees = page.locator("section.payments")
    expect(fees.get_by_text("Phí chứng thực bản sao từ bản chính")).to_be_visible()
    expect(fees.get_by_label("Cổng Dịch vụ công quốc gia")).to_be_checked()
    shots("payment-requested-citizen")
    fees.get_by_role("button", name="Thanh toán 6.000 đ").click()

    expect(page).to_have_url(re.compile(re.escape(national_standin.url) + "/thanh-toan/"))
    expect(page.get_by_text("6.000 đ")).to_be_visible()
    shots("gateway")
    page.get_by_role("button", name="Thanh toán", exact=True).click()

    # Back on the site: paid, and the dossier is in processing again.
    expect(page).to_have_url(f"{site}/ho-so-cua-toi/{dossier.public_id}/")
    expect(page.get_by_text("Đã thanh toán 6.000 đồng")).to_be_visible()
    expect(page.locator(".facts .status")).to_have_text("Đang xử lý")  # status 4 again
    expect(fees.get_by_text("Đã nộp đủ")).to_be_visible()
    shots("paid")

    payment = GatewayPayment.objects.get(dossier=dossier)
    assert payment.status == PaymentStatus.PAID and payment.gateway == "national"
    assert payment.events.get(status_after=PaymentStatus.PAID).source == "gateway"  # the IPN came first
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.actions.get(type=ActionType.RECORD_PAYMENT).actor is None
    assert LedgerEntry.objects.filter(dossier=dossier, kind=EntryKind.PAYMENT).count() == 1

    # The receipt opens as a PDF.
    link = fees.get_by_role("link", name=re.compile("Biên lai số"))
    response = page.request.get(site + link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
