"""Playwright on Debian's own Chromium, against pytest-django's live server.

Never ``playwright install``: the browser is the system's ``/usr/bin/chromium`` (apt), so the
tests run the same way on a closed network. Without it the browser tests are skipped locally
with a reason, and fail in CI (``CI`` set), where skipping them would hide a broken browser.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from karnameh.accounts.demo_data import DEMO_PASSWORD
from karnameh.accounts.management.commands.demo import load_demo

# Playwright's sync API runs inside an event loop; Django would refuse to touch the database
# from the test body (SynchronousOnlyOperation) although nothing here is really asynchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("KARNAMEH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    # Containers often have a tiny /dev/shm; Chromium then crashes on larger pages.
    "--disable-dev-shm-usage",
]
IN_CI = bool(os.environ.get("CI"))
AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"
SHOTS = Path(os.environ.get("KARNAMEH_SHOTS", "/tmp/shots"))  # noqa: S108 (a local debug aid)


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"browser tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """In CI a skipped browser test is a failure, whatever made it skip."""
    report = yield
    if IN_CI and report.skipped and item.get_closest_marker("browser") is not None:
        report.outcome = "failed"
        report.longrepr = f"browser test skipped in CI: {report.longrepr}"
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(
            f"{CHROMIUM} is missing; install Debian's chromium "
            "(apt-get install chromium) to run the browser tests"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover: it is in requirements-dev.lock
        _unavailable(f"the playwright package is missing: {error}")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
        except Exception as error:
            _unavailable(f"{CHROMIUM} does not start: {error}")
        yield chromium
        chromium.close()


def _new_page(browser: Any, **options: Any) -> Iterator[Any]:
    context = browser.new_context(locale="fa-IR", timezone_id="Asia/Tehran", **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    # A script error, a refused script or style (CSP) or a missing static file is a bug worth
    # seeing. Chromium asks for /favicon.ico by itself, whether the page names one or not.
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            page.problems.append(f"console: {message.text}")
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            page.problems.append(f"HTTP {response.status}: {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    yield page
    context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh, desktop-sized browser tab (cookies not shared with other tests)."""
    yield from _new_page(browser, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A phone-sized tab (390×844, an iPhone 12–14)."""
    yield from _new_page(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )


@pytest.fixture
def axe_page(browser: Any) -> Iterator[Any]:
    """A tab that may inject axe-core: our CSP rightly refuses inline scripts, so bypass it."""
    yield from _new_page(browser, viewport={"width": 1280, "height": 900}, bypass_csp=True)


@pytest.fixture
def live_demo(transactional_db: None, live_server: Any) -> Any:
    """The demo province loaded where the live server sees it; gives the live server.

    The live server runs in another thread, so the data must really be committed:
    hence ``transactional_db`` rather than the ``demo`` fixture's ``db``.
    """
    load_demo()
    return live_server


@pytest.fixture
def log_in(live_demo: Any) -> Any:
    """``log_in(page, "staff")``: log in through the form, as a person would."""

    def go(page: Any, username: str, password: str = DEMO_PASSWORD) -> None:
        page.goto(f"{live_demo.url}/accounts/login/")
        page.get_by_label("نام کاربری").fill(username)
        page.get_by_label("گذرواژه").fill(password)
        page.get_by_role("button", name="ورود").click()
        page.wait_for_url(f"{live_demo.url}/")

    return go
