"""Logging in with the national identity in a real browser: a citizen logs in through the VNeID-style
stand-in (its own process, OpenID Connect over HTTP), finds that the procedure needs a level 2 identity,
logs in again at level 2 from the review page, submits the dossier and sees it; logging out ends the
provider's session too. The new pages pass axe (WCAG 2.1 A/AA); every page is kept as a screenshot."""

import re

import pytest
from playwright.sync_api import expect

from motcua.accounts.models import User
from motcua.catalog.models import ProcedureVersion
from motcua.core.refcache import clear_all
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from tests.e2e.test_accessibility import axe_violations
from tests.e2e.test_dossier_journey import PDF

pytestmark = pytest.mark.browser

NUMBER = "008192001122"


@pytest.fixture
def identity_site(demo_site, vneid, settings):
    """The live site with the identity stand-in; its Content-Security-Policy lets logging out (a form)
    lead to the provider's logout."""
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": ["'self'", vneid.url]}
    ProcedureVersion.objects.filter(procedure__code="2.000815", is_current=True).update(min_assurance_level=2)
    clear_all()  # the current versions are cached per process
    return demo_site


def _at_the_provider(page, shots, label: str, level: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập bằng tài khoản định danh điện tử")
    page.get_by_label("Số định danh cá nhân").fill(NUMBER)
    page.get_by_label("Họ và tên").fill("Đỗ Minh Châu")
    page.get_by_label("Ngày tháng năm sinh").fill("19921124")
    page.get_by_label(f"Mức {level}").check()
    shots(label)
    page.get_by_role("button", name="Đồng ý đăng nhập").click()


def test_a_citizen_logs_in_with_the_national_identity_submits_and_sees_the_dossier(
    page, shots, identity_site, vneid, tmp_path
):
    site = identity_site
    scan = tmp_path / "ban-chinh.pdf"
    scan.write_bytes(PDF)
    problems: list[str] = []

    page.goto(f"{site}/dang-nhap/")
    problems += [f"login: {p}" for p in axe_violations(page)]
    shots("login")
    page.get_by_role("link", name="Đăng nhập bằng tài khoản định danh điện tử (VNeID)").click()
    expect(page).to_have_url(re.compile("^" + re.escape(vneid.url) + "/authorize"))
    problems += [f"provider: {p}" for p in axe_violations(page)]
    _at_the_provider(page, shots, "provider-level-1", "1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hồ sơ của tôi")
    expect(page.get_by_role("link", name="Đỗ Minh Châu")).to_be_visible()
    user = User.objects.get(identity_number=NUMBER)
    assert user.identity_assurance == 1 and not user.has_usable_password()
    shots("logged-in")

    # The procedure needs a level 2 identity: the page says so, and so does the review.
    page.goto(f"{site}/thu-tuc/2.000815/")
    expect(page.get_by_text("Đăng nhập bằng tài khoản định danh điện tử (VNeID) mức 2")).to_be_visible()
    page.get_by_label("Nộp tại").select_option(label="Ủy ban nhân dân phường Minh Xuân")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_label("Tên giấy tờ, văn bản cần chứng thực bản sao").fill("Bằng tốt nghiệp đại học")
    page.get_by_label("Số trang của bản chính").fill("2")
    page.get_by_label("Số bản sao cần chứng thực").fill("1")
    page.locator("input[type=file]").first.set_input_files(str(scan))
    page.get_by_role("button", name="Xem lại và gửi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xem lại hồ sơ")
    notice = page.locator("#assurance-needed")
    expect(notice).to_contain_text("yêu cầu tài khoản định danh điện tử mức 2")
    problems += [f"review: {p}" for p in axe_violations(page)]
    shots("review-needs-level-2")
    page.get_by_label(re.compile("Tôi xin cam đoan")).check()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator("#assurance-needed")).to_be_visible()  # refused, still a draft
    assert Dossier.objects.get(applicant=user).status == Status.DRAFT

    # Logging in again at level 2 from the review page comes back to it; now it goes.
    notice.get_by_role("link", name="Đăng nhập bằng tài khoản định danh điện tử (VNeID)").click()
    expect(page.get_by_text("Đang đăng nhập: Đỗ Minh Châu")).to_be_visible()
    _at_the_provider(page, shots, "provider-level-2", "2")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xem lại hồ sơ")
    expect(page.locator("#assurance-needed")).to_have_count(0)
    page.get_by_label(re.compile("Tôi xin cam đoan")).check()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_text("Mới đăng ký").first).to_be_visible()
    dossier = Dossier.objects.get(applicant=user)
    assert dossier.status == Status.SUBMITTED and dossier.applicant_identity == NUMBER
    assert User.objects.filter(identity_number=NUMBER).count() == 1
    shots("submitted")

    page.goto(f"{site}/ho-so-cua-toi/")
    expect(page.get_by_text(dossier.code).first).to_be_visible()
    shots("my-dossiers")
    page.goto(f"{site}/ho-so-cua-toi/nhan-ho-so/")
    problems += [f"claim: {p}" for p in axe_violations(page)]
    shots("claim-page")

    # Logging out ends both sessions: the provider no longer knows the person.
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(f"{site}/")
    expect(page.get_by_role("link", name="Đăng nhập", exact=True)).to_be_visible()
    page.goto(f"{site}/dang-nhap/")
    page.get_by_role("link", name="Đăng nhập bằng tài khoản định danh điện tử (VNeID)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập bằng tài khoản định danh điện tử")
    expect(page.get_by_text("Đang đăng nhập")).to_have_count(0)
    shots("provider-after-logout")

    assert problems == []
