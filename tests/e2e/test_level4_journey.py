"""A fully online service (level 4, "toàn trình") in a real browser, end to end on the demo: a citizen
submits a fee-bearing dossier, pays on the national payment platform's stand-in and comes back to
"paid"; the leader approves and the result is signed (with the key kept in the system, or on the
remote-signing stand-in where the leader confirms as on their phone); the one-stop unit returns it; the
citizen downloads it, opens the verification page from its QR code and sees it valid, and rates the
service. Every page is kept as a screenshot (var/test-artifacts/)."""

import re

import pytest
from playwright.sync_api import expect

from motcua.accounts.models import User
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.payments.constants import PaymentStatus
from motcua.payments.models import GatewayPayment
from motcua.signing import services as signing_services
from motcua.signing.tests.factories import certificate_for
from motcua.signing.tests.fixtures import REMOTE_USER
from motcua.surveys.models import Rating
from tests.e2e import test_payment, test_signed_result
from tests.e2e.test_dossier_journey import PDF, act, log_in, log_out
from tests.e2e.test_rating import QUESTIONS, answer
from tests.e2e.test_signed_result import _leader_issues_the_result, _returned_downloaded_and_verified

pytestmark = pytest.mark.browser

# The fixtures of the payment and signed-result journeys.
national_standin = test_payment.national_standin
signing_site = test_signed_result.signing_site


def _submitted_and_paid(page, site, shots, standin, tmp_path) -> Dossier:
    """The citizen applies for three certified copies (6.000 đ), the one-stop unit receives the dossier,
    the specialist asks for the fees, the citizen pays online and the dossier is in processing again."""
    scan = tmp_path / "ban-chinh.pdf"
    scan.write_bytes(PDF)
    log_in(page, site, "citizen")
    page.goto(f"{site}/thu-tuc/2.000815/")
    page.get_by_label("Nộp tại").select_option(label="Ủy ban nhân dân phường Minh Xuân")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_label("Tên giấy tờ, văn bản cần chứng thực bản sao").fill("Bằng tốt nghiệp đại học")
    page.get_by_label("Số trang của bản chính").fill("2")
    page.get_by_label("Số bản sao cần chứng thực").fill("3")
    page.locator("input[type=file]").first.set_input_files(str(scan))
    page.get_by_role("button", name="Xem lại và gửi").click()
    page.get_by_label(re.compile("Tôi xin cam đoan")).check()
    shots("review")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_text("Mới đăng ký").first).to_be_visible()
    dossier = Dossier.objects.get(
        applicant__username="citizen", procedure_version__procedure__code="2.000815"
    )
    log_out(page)

    log_in(page, site, "reception")
    page.goto(f"{site}/can-bo/ho-so/{dossier.code}/")
    act(page, shots, "Tiếp nhận hồ sơ", "Tiếp nhận và cấp giấy hẹn", "received")
    log_out(page)
    log_in(page, site, "specialist")
    page.goto(f"{site}/can-bo/ho-so/{dossier.code}/")
    page.get_by_text("Thao tác khác").click()
    act(page, shots, "Yêu cầu nộp phí, lệ phí", "Gửi yêu cầu nộp phí", "payment-requested")
    log_out(page)

    log_in(page, site, "citizen")
    page.goto(f"{site}/ho-so-cua-toi/{dossier.public_id}/")
    expect(page.get_by_text("Yêu cầu thực hiện nghĩa vụ tài chính").first).to_be_visible()
    fees = page.locator("section.payments")
    fees.get_by_role("button", name="Thanh toán 6.000 đ").click()
    expect(page).to_have_url(re.compile(re.escape(standin.url) + "/thanh-toan/"))
    shots("gateway")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(page).to_have_url(f"{site}/ho-so-cua-toi/{dossier.public_id}/")
    expect(page.get_by_text("Đã thanh toán 6.000 đồng")).to_be_visible()
    expect(page.locator(".facts .status")).to_have_text("Đang xử lý")
    shots("paid")
    assert GatewayPayment.objects.get(dossier=dossier).status == PaymentStatus.PAID
    log_out(page)

    # The specialist checks the copies and passes the dossier to the leader.
    log_in(page, site, "specialist")
    page.goto(f"{site}/can-bo/ho-so/{dossier.code}/")
    act(page, shots, "Chuyển bước tiếp theo", "Chuyển xử lý", "forwarded", {"Ghi chú": "Đã đối chiếu"})
    log_out(page)
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.current_step.role == "leader"
    return dossier


def _the_citizen_rates(page, site, shots, dossier) -> None:
    """Back on the returned dossier, the citizen rates the service (four questions and a comment)."""
    page.goto(f"{site}/ho-so-cua-toi/{dossier.public_id}/")
    panel = page.locator("section.rating")
    expect(panel.get_by_role("heading", name="Đánh giá mức độ hài lòng")).to_be_visible()
    for question in QUESTIONS:
        answer(panel, question, "Rất hài lòng")
    panel.get_by_label("Góp ý thêm (không bắt buộc)").fill("Nộp, nộp phí và nhận kết quả đều trực tuyến.")
    shots("rating")
    panel.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_text("Cảm ơn ông/bà đã đánh giá mức độ hài lòng.")).to_be_visible()
    shots("rated")
    rating = Rating.objects.get(dossier=dossier)
    assert rating.overall == 5 and rating.satisfied and rating.channel == "online"


def test_level_4_with_the_leaders_key_kept_in_the_system(
    page,
    shots,
    signing_site,
    signing,
    national_standin,
    tmp_path,
):
    site, _ward = signing_site
    leader = User.objects.get(username="leader")
    certificate_for(signing, user=leader)

    dossier = _submitted_and_paid(page, site, shots, national_standin, tmp_path)
    _leader_issues_the_result(page, site, shots, dossier)
    section = page.locator("section", has=page.get_by_role("heading", name="Chữ ký số của kết quả"))
    expect(section.get_by_text("Đã ký số")).to_be_visible()
    shots("result-signed")
    log_out(page)

    _returned_downloaded_and_verified(page, site, shots, dossier, leader.full_name)
    _the_citizen_rates(page, site, shots, dossier)


def test_level_4_with_the_remote_signer(
    page,
    shots,
    signing_site,
    remote_signing,
    national_standin,
    tmp_path,
):
    site, _ward = signing_site
    leader = User.objects.get(username="leader")
    signing_services.add_remote_certificate(user=leader, remote_user_id=REMOTE_USER)

    dossier = _submitted_and_paid(page, site, shots, national_standin, tmp_path)
    _leader_issues_the_result(page, site, shots, dossier)
    section = page.locator("section", has=page.get_by_role("heading", name="Chữ ký số của kết quả"))
    expect(section.get_by_text("Chờ người ký xác nhận")).to_be_visible()
    phone = page.context.new_page()
    phone.goto(remote_signing.url)
    phone.get_by_role("link", name=re.compile(dossier.code)).first.click()
    phone.screenshot(path=str(shots.folder / "remote-signer-request.png"), full_page=True)
    phone.get_by_role("button", name="Xác nhận ký").click()
    expect(phone.locator("#trang-thai")).to_have_text("Đã ký")
    phone.close()
    page.get_by_role("button", name="Kiểm tra xác nhận ký số").click()
    expect(section.get_by_text("Đã ký số")).to_be_visible()
    shots("result-signed-remotely")
    log_out(page)

    _returned_downloaded_and_verified(page, site, shots, dossier, "Lãnh Đạo Từ Xa")
    _the_citizen_rates(page, site, shots, dossier)
