"""Browser tests: Playwright driving Debian's Chromium against a live test server.

Without a Chromium they are skipped with a plain message; under CI (CI=true) they must run.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("MOTCUA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(
    os.environ.get("MOTCUA_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "var" / "test-artifacts")
)
IN_CI = os.environ.get("CI", "").lower() == "true"
SKIP_REASON = f"browser tests skipped: no Chromium at {CHROMIUM} (install it with `apt-get install chromium`)"


def chromium_found() -> bool:
    return Path(CHROMIUM).exists()


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items or chromium_found():
        return
    if IN_CI:
        raise pytest.UsageError(f"CI=true but {SKIP_REASON}")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def pytest_terminal_summary(terminalreporter):
    if not chromium_found():
        terminalreporter.write_line(f"NOTE: {SKIP_REASON}", yellow=True, bold=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class Shots:
    """Saves a numbered screenshot of each page a journey visits, kept as a test artifact."""

    def __init__(self, page, name: str):
        self.page = page
        self.folder = ARTIFACTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def __call__(self, label: str) -> None:
        self.count += 1
        self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{label}.png"), full_page=True)


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def shots(page, request):
    return Shots(page, request.node.name)


@pytest.fixture
def demo_site(live_server, transactional_db):
    """The demo province, its agencies, users and catalogue (not the 320 demo dossiers: the journeys
    make their own)."""
    from motcua.demo import seed

    agencies = seed.seed_agencies()
    seed.seed_users(agencies)
    seed.load_procedures(agencies)
    return live_server.url
