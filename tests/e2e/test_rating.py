"""Satisfaction ratings in a real browser (issue 10 §5): a citizen rates a returned dossier on its page,
then changes the rating; a walk-in applicant rates at the counter's kiosk with the dossier's code and
the last four digits of their phone number. Each page passes axe (WCAG 2.1 AA) on a desktop and a
phone; every step is kept as a screenshot."""

import io
import re

import pytest
from playwright.sync_api import expect

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.services import create_procedure, publish_version
from motcua.dossiers import services
from motcua.surveys.models import Rating
from tests.e2e.test_accessibility import axe_violations, check
from tests.e2e.test_dossier_journey import PDF, log_in

pytestmark = pytest.mark.browser

QUESTIONS = [
    "Thời gian giải quyết hồ sơ",
    "Số lần phải đi lại, liên hệ với cơ quan",
    "Thái độ phục vụ của cán bộ",
    "Mức độ hài lòng chung",
]


@pytest.fixture
def returned_dossiers(demo_site, media):
    """Two dossiers of the Minh Xuân ward whose result was returned: the demo citizen's, applied online,
    and a walk-in's, received at the counter (phone 0987 654 321)."""
    ward = Agency.objects.get(name="Ủy ban nhân dân phường Minh Xuân")
    version = publish_version(
        create_procedure(
            "1.999998",
            version={
                "name": "Cấp bản sao trích lục hộ tịch",
                "field": "Hộ tịch",
                "level": "commune",
                "mode": "full_online",
                "processing_time": "1",
                "time_unit": "working_days",
                "result": "Bản sao trích lục",
            },
            agencies=[ward],
            documents=[{"name": "Tờ khai", "form": "original", "quantity": 1}],
            form=[{"key": "full_name", "label": "Họ tên người được cấp", "kind": "text"}],
            steps=[
                {"name": "Tiếp nhận hồ sơ", "role": "reception", "share": "0.1"},
                {"name": "Cấp bản sao", "role": "specialist", "share": "0.8"},
                {"name": "Trả kết quả", "role": "reception", "share": "0.1"},
            ],
        )
    )
    people = {name: User.objects.get(username=name) for name in ("citizen", "reception", "specialist")}
    document = version.documents.get()

    online = services.start_dossier(version=version, applicant=people["citizen"], receiving_agency=ward)
    services.save_draft(online, actor=people["citizen"], form_data={"full_name": "Nguyễn Văn An"})
    services.add_document(
        online, actor=people["citizen"], upload=io.BytesIO(PDF), name="to-khai.pdf", document=document
    )
    services.submit(online, actor=people["citizen"], declaration=True)
    services.receive(online, actor=people["reception"])

    walk_in = services.intake_at_counter(
        actor=people["reception"],
        agency=ward,
        version=version,
        applicant={"name": "Hà Thị Lan", "phone": "0987 654 321"},
        form_data={"full_name": "Hà Thị Lan"},
        scans=[(document, "to-khai.pdf", io.BytesIO(PDF))],
    )
    for dossier in (online, walk_in):
        services.attach_result(
            dossier, actor=people["specialist"], upload=io.BytesIO(PDF), name="ket-qua.pdf"
        )
        services.mark_ready(dossier, actor=people["specialist"])
        services.return_result(dossier, actor=people["reception"])
    return demo_site, online, walk_in


def answer(page, question: str, choice: str) -> None:
    group = page.get_by_role("group", name=question)
    group.get_by_label(choice, exact=True).check()


def test_a_citizen_rates_a_returned_dossier_and_changes_the_rating(page, shots, returned_dossiers):
    site, dossier, _walk_in = returned_dossiers
    log_in(page, site, "citizen")
    page.goto(f"{site}/ho-so-cua-toi/{dossier.public_id}/")
    panel = page.locator("section.rating")
    expect(panel.get_by_role("heading", name="Đánh giá mức độ hài lòng")).to_be_visible()
    for question in QUESTIONS:
        expect(panel.get_by_role("group", name=question)).to_be_visible()
    assert axe_violations(page) == []
    shots("asked")

    # Two answers forgotten: the rating page lists them and keeps what was chosen.
    answer(panel, QUESTIONS[0], "Rất hài lòng")
    answer(panel, QUESTIONS[2], "Hài lòng")
    panel.get_by_label("Góp ý thêm (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình.")
    panel.get_by_role("button", name="Gửi đánh giá").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(summary.get_by_role("link", name=re.compile("^Số lần phải đi lại"))).to_be_visible()
    expect(
        page.get_by_role("group", name=QUESTIONS[0]).get_by_label("Rất hài lòng", exact=True)
    ).to_be_checked()
    assert axe_violations(page) == []
    shots("errors")
    summary.get_by_role("link", name=re.compile("^Mức độ hài lòng chung")).click()
    expect(page.locator("#overall-5")).to_be_focused()
    answer(page, QUESTIONS[1], "Chấp nhận được")
    answer(page, QUESTIONS[3], "Hài lòng")
    page.get_by_role("button", name="Gửi đánh giá").click()

    # Back on the dossier: thanks, the answers, and a way to change them within seven days.
    expect(page).to_have_url(f"{site}/ho-so-cua-toi/{dossier.public_id}/#rating-title")
    expect(page.get_by_text("Cảm ơn ông/bà đã đánh giá mức độ hài lòng.")).to_be_visible()
    expect(panel.get_by_text("Chấp nhận được")).to_be_visible()
    expect(panel.get_by_text("Cán bộ hướng dẫn tận tình.")).to_be_visible()
    shots("rated")
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.processing_time, rating.contacts, rating.staff_attitude, rating.overall) == (5, 3, 4, 4)
    assert rating.channel == "online" and rating.satisfied

    panel.get_by_role("link", name="Sửa đánh giá").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sửa đánh giá mức độ hài lòng")
    expect(
        page.get_by_role("group", name=QUESTIONS[1]).get_by_label("Chấp nhận được", exact=True)
    ).to_be_checked()
    answer(page, QUESTIONS[3], "Rất hài lòng")
    shots("changing")
    page.get_by_role("button", name="Lưu đánh giá đã sửa").click()
    expect(page.get_by_text("Đã sửa đánh giá. Cảm ơn ông/bà.")).to_be_visible()
    rating.refresh_from_db()
    assert rating.overall == 5 and rating.edits == 1

    # The one-stop officer sees it on the staff page.
    page.get_by_role("button", name="Đăng xuất").click()
    log_in(page, site, "reception")
    page.goto(f"{site}/can-bo/ho-so/{dossier.code}/")
    staff = page.locator("section").filter(has=page.get_by_role("heading", name="Đánh giá mức độ hài lòng"))
    expect(staff.get_by_text("Trên Cổng dịch vụ công")).to_be_visible()
    assert axe_violations(page) == []
    shots("staff")


def test_a_walk_in_applicant_rates_at_the_kiosk(page, shots, returned_dossiers):
    site, _online, dossier = returned_dossiers
    page.set_viewport_size({"width": 1024, "height": 768})  # a counter tablet, landscape
    page.goto(f"{site}/danh-gia/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đánh giá mức độ hài lòng")
    expect(page.locator("details.menu")).to_have_count(0)  # nowhere to wander off to
    shots("kiosk-start")

    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("4 chữ số cuối của số điện thoại hoặc số định danh").fill("4320")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.locator(".error-summary")).to_contain_text("không khớp")
    assert axe_violations(page) == []
    shots("kiosk-wrong-digits")
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("4 chữ số cuối của số điện thoại hoặc số định danh").fill("4321")
    page.get_by_role("button", name="Tiếp tục").click()

    expect(page.get_by_text(dossier.code)).to_be_visible()
    choice = page.get_by_role("group", name=QUESTIONS[3]).locator("label").first
    assert choice.bounding_box()["height"] >= 60  # large enough to tap
    for question, value in zip(
        QUESTIONS, ["Hài lòng", "Rất hài lòng", "Rất hài lòng", "Hài lòng"], strict=True
    ):
        answer(page, question, value)
    assert axe_violations(page) == []
    shots("kiosk-questions")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn ông/bà đã đánh giá!")
    shots("kiosk-thanks")
    rating = Rating.objects.get(dossier=dossier)
    assert rating.channel == "kiosk" and rating.rater is None and rating.overall == 4

    page.get_by_role("link", name="Đánh giá hồ sơ khác").click()
    expect(page.get_by_label("Mã hồ sơ")).to_have_value("")


def test_the_rating_pages_have_no_axe_violation_and_fit_a_phone(browser, returned_dossiers):
    site, online, _walk_in = returned_dossiers
    failures = {}
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    for name, path in [
        ("kiosk", "/danh-gia/"),
        ("kiosk-en", "/en/danh-gia/"),
        ("kiosk-thanks", "/danh-gia/cam-on/"),
    ]:
        checked = check(page, name, site + path)
        failures.update({checked.name: checked.problems} if checked.problems else {})
    context.close()
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, site, "citizen")
    for name, path in [
        ("dossier-rating-form", f"/ho-so-cua-toi/{online.public_id}/"),
        ("rating-page", f"/ho-so-cua-toi/{online.public_id}/danh-gia/"),
    ]:
        checked = check(page, name, site + path)
        failures.update({checked.name: checked.problems} if checked.problems else {})
    context.close()
    assert not failures, "\n".join(f"{name}:\n  " + "\n  ".join(p) for name, p in failures.items())
