"""A citizen finds a procedure without typing diacritics, reads what to prepare, and switches to English."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_search_without_diacritics_open_the_procedure_then_english(page, shots, demo_site):
    page.goto(f"{demo_site}/")
    shots("home")

    page.get_by_label("Tìm thủ tục").fill("dang ki khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    results = page.locator("ol.results > li h2 a")
    expect(results.first).to_have_text("Đăng ký khai sinh")
    shots("results")

    results.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    expect(page.get_by_role("heading", name="Phí, lệ phí")).to_be_visible()
    fees = page.locator("section[aria-labelledby=fees] table")
    expect(fees).to_contain_text("Lệ phí đăng ký khai sinh")
    expect(fees).to_contain_text("Miễn phí")
    documents = page.locator("section[aria-labelledby=documents] tbody tr")
    expect(documents.first).to_contain_text("Tờ khai đăng ký khai sinh")
    assert documents.count() >= 2
    shots("procedure")

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/thu-tuc/1\.001193/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Fees")).to_be_visible()
    expect(page.get_by_role("heading", name="Required documents")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")  # data stays as published
    shots("procedure-en")

    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
