"""The whole life of a dossier in a real browser, as the people involved would use the site.

A citizen registers, finds 'khai sinh' without diacritics, fills the form, attaches PDFs and submits;
the reception officer asks for a supplement; the citizen adds a file; the officer receives and the
receipt shows the code and the appointment; a specialist and a leader process the steps; the result is
returned; the citizen sees 'Đã trả kết quả' and the whole timeline. Every page is kept as a screenshot.
"""

import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from motcua.demo.seed import DEMO_PASSWORD
from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def log_in(page, site, username, password=DEMO_PASSWORD):
    page.goto(f"{site}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


def act(page, shots, title, button, label, fields=None):
    """Fill and submit the action form headed ``title`` on the staff dossier page."""
    form = page.locator("section.bo-action").filter(has=page.get_by_role("heading", name=title, exact=True))
    for field_label, value in (fields or {}).items():
        form.get_by_label(field_label).fill(value)
    form.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".messages")).to_be_visible()
    shots(label)


def test_a_birth_registration_from_submission_to_returned_result(browser, page, shots, demo_site, tmp_path):
    site = demo_site
    scan = tmp_path / "giay-to.pdf"
    scan.write_bytes(PDF)

    # The citizen registers.
    page.goto(f"{site}/dang-ky/")
    page.get_by_label("Họ và tên / tên tổ chức").fill("Hoàng Thị Mai")
    page.get_by_label("Số định danh cá nhân (12 số) hoặc mã số thuế").fill("008195012345")
    page.get_by_label("Thư điện tử").fill("mai.hoang@example.vn")
    page.get_by_label("Mật khẩu").fill("Mai-Tuyen-Quang-2026")
    shots("register")
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_text("Đã nhận đăng ký")).to_be_visible()
    # ... and logs in: the registration page answers the same for details already registered.
    login_label = "Tên đăng nhập, số định danh, thư điện tử hoặc số điện thoại"
    page.get_by_label(login_label).fill("mai.hoang@example.vn")
    page.get_by_label("Mật khẩu").fill("Mai-Tuyen-Quang-2026")
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hồ sơ của tôi")
    page.goto(f"{site}/")

    # ... finds the procedure without typing diacritics and applies at her ward.
    page.get_by_label("Tìm thủ tục").fill("khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.locator("ol.results > li h2 a", has_text=re.compile(r"^Đăng ký khai sinh$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    page.get_by_label("Nộp tại").select_option(label="Ủy ban nhân dân phường Minh Xuân")
    shots("procedure")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()

    # ... fills the online form and attaches the required documents.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Khai hồ sơ")
    page.get_by_label("Họ, chữ đệm và tên người yêu cầu").fill("Hoàng Thị Mai")
    page.get_by_label("Số định danh cá nhân của người yêu cầu").fill("008195012345")
    page.get_by_label("Quan hệ với người được khai sinh").select_option("Mẹ")
    page.get_by_label("Họ, chữ đệm và tên của trẻ").fill("Nguyễn Hoàng An Nhiên")
    page.get_by_label("Giới tính").select_option("Nữ")
    born = timezone.localdate() - datetime.timedelta(days=16)  # a birth date is never after today
    page.get_by_label("Ngày, tháng, năm sinh").fill(born.isoformat())
    page.get_by_label("Nơi sinh").fill("Bệnh viện Đa khoa tỉnh Tuyên Quang")
    page.get_by_label("Dân tộc").fill("Kinh")
    for upload in page.locator("input[type=file]").all()[:2]:
        upload.set_input_files(str(scan))
    page.locator("input[type=file]").nth(5).set_input_files(str(scan))  # the identity card
    shots("form")
    page.get_by_role("button", name="Xem lại và gửi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xem lại hồ sơ")
    page.get_by_label(re.compile("Tôi xin cam đoan")).check()
    shots("review")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_text("Mới đăng ký").first).to_be_visible()
    shots("submitted")
    dossier = Dossier.objects.get(applicant__username="008195012345")
    # The code is given at submission: she can look it up at once.
    assert dossier.code and re.fullmatch(r"000\.01\.01\.H59-\d{6}-0001", dossier.code)
    expect(page.get_by_text(dossier.code).first).to_be_visible()
    log_out(page)

    # The reception officer asks for everything missing at once.
    log_in(page, site, "reception")
    page.goto(f"{site}/can-bo/tiep-nhan/")
    expect(page.get_by_role("cell", name="Hoàng Thị Mai", exact=True)).to_be_visible()
    shots("reception-queue")
    page.get_by_role("link", name=re.compile("Xem, tiếp nhận.*Hoàng Thị Mai")).click()
    act(
        page,
        shots,
        "Yêu cầu bổ sung hồ sơ",
        "Gửi yêu cầu bổ sung",
        "supplement-requested",
        {"Giấy tờ, nội dung cần bổ sung": "Giấy chứng sinh: bản chụp rõ nét, đủ 2 mặt"},
    )
    log_out(page)

    # The citizen reads the request and adds the file.
    log_in(page, site, "008195012345", "Mai-Tuyen-Quang-2026")
    page.goto(f"{site}/ho-so-cua-toi/")
    page.get_by_role("link", name=dossier.code).click()
    expect(page.get_by_text("Giấy chứng sinh: bản chụp rõ nét, đủ 2 mặt")).to_be_visible()
    shots("supplement-request-seen")
    page.get_by_role("link", name="Bổ sung hồ sơ").click()
    page.locator("input[type=file]").nth(1).set_input_files(str(scan))
    page.get_by_role("button", name="Xem lại và gửi").click()
    page.get_by_label(re.compile("Tôi xin cam đoan")).check()
    page.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
    expect(page.get_by_text("Mới đăng ký").first).to_be_visible()
    shots("supplement-sent")
    log_out(page)

    # The officer receives it: a code, a due date and the receipt (form 01) as a PDF.
    log_in(page, site, "reception")
    page.goto(f"{site}/can-bo/tiep-nhan/")
    page.get_by_role("link", name=re.compile("Xem, tiếp nhận.*Hoàng Thị Mai")).click()
    act(page, shots, "Tiếp nhận hồ sơ", "Tiếp nhận và cấp giấy hẹn", "received")
    dossier.refresh_from_db()
    expect(page.get_by_text(dossier.code).first).to_be_visible()
    receipt_link = page.get_by_role("link", name="Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    response = page.request.get(site + receipt_link.first.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    receipt_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    due = timezone.localtime(dossier.due_at)
    assert dossier.code in receipt_text.replace("\n", "")
    assert f"{due:%d/%m/%Y}" in receipt_text
    log_out(page)

    # A specialist checks it and passes it on; the leader approves and issues the result.
    log_in(page, site, "specialist")
    page.goto(f"{site}/can-bo/ho-so/")
    page.get_by_role("link", name=dossier.code).click()
    shots("specialist-dossier")
    act(page, shots, "Chuyển bước tiếp theo", "Chuyển xử lý", "forwarded", {"Ghi chú": "Hồ sơ hợp lệ"})
    log_out(page)

    log_in(page, site, "leader")
    page.goto(f"{site}/can-bo/ho-so/{dossier.code}/")
    page.locator("section.bo-action#action-dinh-kem-ket-qua").get_by_role(
        "button", name="Tạo văn bản kết quả"
    ).click()
    expect(page.locator(".messages")).to_be_visible()
    shots("result-attached")
    act(page, shots, "Phê duyệt", "Phê duyệt", "approved")  # the last approval: ready for return
    expect(page.get_by_text("Đã xử lý xong").first).to_be_visible()
    log_out(page)

    # The one-stop unit returns the result.
    log_in(page, site, "reception")
    page.goto(f"{site}/can-bo/ho-so/{dossier.code}/")
    act(page, shots, "Trả kết quả", "Đã trả kết quả cho người nộp", "returned")
    log_out(page)

    # The citizen sees the outcome and every step of the way.
    log_in(page, site, "008195012345", "Mai-Tuyen-Quang-2026")
    page.goto(f"{site}/ho-so-cua-toi/")
    expect(page.get_by_text("Đã trả kết quả").first).to_be_visible()
    page.get_by_role("link", name=dossier.code).click()
    timeline = page.locator("ol.timeline > li")
    for step in [
        "Nộp hồ sơ",
        "Yêu cầu bổ sung hồ sơ",
        "Bổ sung hồ sơ",
        "Tiếp nhận hồ sơ",
        "Chuyển bước xử lý",
        "Phê duyệt",
        "Trả kết quả",
    ]:
        expect(timeline.filter(has_text=step).first).to_be_visible()
    expect(page.get_by_role("link", name="Kết quả giải quyết")).to_be_visible()
    shots("citizen-done")
    dossier.refresh_from_db()
    assert dossier.status == 10
