"""The applicant's experience in a real browser: the error summary (listed by label, focused on load,
each link taking the keyboard to its field), the form prefilled from the account after the person
changes it on the account page, a draft resumed then deleted. Every page is kept as a screenshot."""

import re

import pytest
from playwright.sync_api import expect

from motcua.catalog.models import ProcedureVersion
from motcua.demo.seed import DEMO_PASSWORD
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.browser


def log_in(page, site, username, password=DEMO_PASSWORD):
    page.goto(f"{site}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def apply_online(page, site, code):
    page.goto(f"{site}/thu-tuc/{code}/")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Khai hồ sơ")


def test_an_empty_form_lists_every_field_by_label_and_each_link_leads_to_its_field(page, shots, demo_site):
    site = demo_site
    version = ProcedureVersion.objects.current().get(procedure__code="1.001193")
    log_in(page, site, "citizen")
    apply_online(page, site, "1.001193")
    # The requester's name and number come from the account: empty them to send an empty form.
    expect(page.get_by_label("Họ, chữ đệm và tên người yêu cầu")).to_have_value("Nguyễn Văn An")
    page.get_by_label("Họ, chữ đệm và tên người yêu cầu").fill("")
    page.get_by_label("Số định danh cá nhân của người yêu cầu").fill("")
    page.get_by_role("button", name="Xem lại và gửi").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()  # the first thing a screen reader reads
    expected = [f"{f.label}: Trường này bắt buộc." for f in version.form_fields.all() if f.required]
    expected += [
        f"{d.name}: Chưa có tệp; giấy tờ này bắt buộc." for d in version.documents.all() if d.required
    ]
    expect(summary.get_by_role("heading")).to_have_text(f"Có {len(expected)} lỗi cần sửa")
    expect(summary.get_by_role("link")).to_have_text(expected)
    expect(page).to_have_title(re.compile("^Lỗi: "))
    shots("summary")

    # Following a link takes the keyboard to the field, its message beside it.
    summary.get_by_role("link", name="Giới tính: Trường này bắt buộc.").click()
    sex = page.locator("#f_child_sex")
    expect(sex).to_be_focused()
    expect(sex).to_have_attribute("aria-invalid", "true")
    expect(sex).to_have_accessible_description("Trường này bắt buộc.")
    sex.select_option("Nữ")
    shots("field-focused")
    document = next(d for d in version.documents.all() if d.required)
    page.get_by_role("link", name=f"{document.name}: Chưa có tệp; giấy tờ này bắt buộc.").click()
    expect(page.locator(f"#doc_{document.pk}")).to_be_focused()

    # Saving keeps what was chosen; the draft is not lost.
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Đã lưu bản nháp.")).to_be_visible()
    expect(page.get_by_label("Giới tính")).to_have_value("Nữ")

    # The review page lists what is still missing; its links lead back to the form's fields.
    page.goto(page.url.split("?")[0].replace("/khai/", "/xem-lai/"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(len(expected) - 1)  # the sex was chosen
    shots("review-summary")
    summary.get_by_role("link", name="Ngày, tháng, năm sinh: Trường này bắt buộc.").click()
    expect(page.locator("#f_child_date_of_birth")).to_be_focused()
    expect(page.locator("#f_child_date_of_birth")).to_have_accessible_description("Trường này bắt buộc.")


def test_a_new_draft_starts_with_the_accounts_details_and_a_draft_can_be_resumed_or_deleted(
    page, shots, demo_site
):
    site = demo_site
    log_in(page, site, "citizen")

    # The citizen adds an address and a new phone number to the account.
    page.goto(f"{site}/ho-so-cua-toi/")
    page.get_by_role("link", name="Thông tin tài khoản (số điện thoại, thư điện tử, địa chỉ)").click()
    page.get_by_label("Số điện thoại").fill("0912000099")
    page.get_by_label("Địa chỉ").fill("Số 8 đường Tân Trào, phường Minh Xuân, tỉnh Tuyên Quang")
    shots("account")
    page.get_by_role("button", name="Lưu thông tin liên hệ").click()
    expect(page.get_by_text("Đã cập nhật thông tin liên hệ.")).to_be_visible()

    # A new draft shows who applies and starts with those details.
    apply_online(page, site, "1.004873")
    card = page.locator(".applicant-card")
    expect(card).to_contain_text("0912000099")
    expect(card).to_contain_text("Số 8 đường Tân Trào, phường Minh Xuân")
    expect(page.get_by_label("Họ, chữ đệm và tên người yêu cầu")).to_have_value("Nguyễn Văn An")
    expect(page.get_by_label("Số định danh cá nhân của người yêu cầu")).to_have_value("008090000123")
    expect(page.get_by_label("Số điện thoại liên hệ")).to_have_value("0912000099")
    expect(page.locator("#f_requester_address__unit option:checked")).to_have_text("Phường Minh Xuân")
    expect(page.locator("#f_requester_address__detail")).to_have_value("Số 8 đường Tân Trào")
    shots("prefilled")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Đã lưu bản nháp.")).to_be_visible()

    # Applying again resumes it, and says so.
    apply_online(page, site, "1.004873")
    expect(page.get_by_role("heading", name="Ông/bà đang có bản nháp hồ sơ của thủ tục này")).to_be_visible()
    shots("resumed")
    assert Dossier.objects.filter(applicant__username="citizen", status=Status.DRAFT).count() == 1

    # The draft is listed apart and deleted after a confirmation.
    page.goto(f"{site}/ho-so-cua-toi/")
    drafts = page.locator("section", has=page.get_by_role("heading", name="Bản nháp chưa nộp"))
    expect(drafts.get_by_role("row")).to_have_count(2)  # the header and the draft
    drafts.locator("summary").first.click()
    shots("delete-confirm")
    drafts.get_by_role("button", name=re.compile("^Xóa bản nháp")).click()
    expect(page.get_by_text("Đã xóa bản nháp “Cấp Giấy xác nhận tình trạng hôn nhân”.")).to_be_visible()
    expect(page.get_by_role("heading", name="Bản nháp chưa nộp")).to_have_count(0)
    shots("deleted")
    assert not Dossier.objects.filter(applicant__username="citizen", status=Status.DRAFT).exists()
