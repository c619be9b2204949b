"""Each demo user, in a real Chromium: Persian, right to left, Vazirmatn, the menu of their role.

Also the phone-sized menu, an htmx search, and axe-core on the main pages (DESIGN.md habit 10:
the product grades agencies' websites on accessibility, so it must pass that bar itself).
"""

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from karnameh.accounts.demo_data import USERS
from karnameh.accounts.models import User
from karnameh.accounts.navigation import menu_for

from .conftest import AXE, SHOTS

pytestmark = pytest.mark.browser

EVERYONE = {"home", "cycles", "catalogues", "tokens"}
REGISTRY = EVERYONE | {"agencies"}
AGENCY_SIDE = REGISTRY | {"mine", "feedback"}
STAFF = REGISTRY | {"agency-import", "feedback", "audit", "api-docs"}

# Written out by hand on purpose: if the policy in permissions.RULES changes, this table must be
# changed too, in the same review.
EXPECTED_MENU: dict[str, set[str]] = {
    "admin": STAFF | {"admin"},
    "staff": STAFF,
    "evaluator": EVERYONE,
    "assessor": EVERYONE | {"inquiries"},
    "agency": AGENCY_SIDE,
    "office": AGENCY_SIDE,
    "hq": REGISTRY,
    "deputy": REGISTRY,
    "council": REGISTRY,
    "national": REGISTRY,
}

MENU_KEYS = "[data-testid=menu] [data-menu]"


def test_the_table_covers_every_demo_user():
    assert set(EXPECTED_MENU) == set(USERS)


def _menu_keys(page: Any) -> set[str]:
    return set(page.locator(MENU_KEYS).evaluate_all("els => els.map(e => e.dataset.menu)"))


def _body_font(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """async () => {
            await document.fonts.ready;
            const family = getComputedStyle(document.body).fontFamily;
            const loaded = [...document.fonts].some(
                f => f.family.replace(/["']/g, "") === "Vazirmatn" && f.status === "loaded");
            return {first: family.split(",")[0].trim().replace(/["']/g, ""), loaded};
        }"""
    )


def _assert_persian_rtl(page: Any) -> None:
    expect(page.locator("html[lang=fa][dir=rtl]")).to_have_count(1)
    assert _body_font(page) == {"first": "Vazirmatn", "loaded": True}


@pytest.mark.parametrize("username", list(EXPECTED_MENU))
def test_demo_user_logs_in_sees_their_menu_and_logs_out(page, log_in, live_demo, username):
    # given
    expected_by_policy = {item["key"] for item in menu_for(User.objects.get(username=username))}
    # when
    log_in(page, username)
    # then
    _assert_persian_rtl(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("خوش آمدید")
    assert _menu_keys(page) == EXPECTED_MENU[username] == expected_by_policy
    # Right to left for real: the brand sits at the right edge of the bar.
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand is not None
    assert brand["x"] > page.viewport_size["width"] / 2
    assert page.problems == []

    # when
    page.get_by_role("button", name="خروج", exact=True).click()
    # then
    page.wait_for_url(re.compile(r"/accounts/login/"))
    expect(page.locator(MENU_KEYS)).to_have_count(0)
    page.goto(f"{live_demo.url}/")
    assert "/accounts/login/" in page.url


def test_wrong_password_is_refused_in_persian(page, live_demo):
    # when
    page.goto(f"{live_demo.url}/accounts/login/")
    page.get_by_label("نام کاربری").fill("staff")
    page.get_by_label("گذرواژه").fill("not-the-password")
    page.get_by_role("button", name="ورود", exact=True).click()
    # then
    expect(page.get_by_test_id("login-error")).to_be_visible()
    assert "/accounts/login/" in page.url
    expect(page.locator(MENU_KEYS)).to_have_count(0)


def test_phone_menu_is_collapsed_behind_the_toggler_and_opens_on_click(phone, log_in, tmp_path):
    # given
    log_in(phone, "staff")
    menu = phone.get_by_test_id("menu")
    toggler = phone.get_by_role("button", name="باز کردن منو")
    # then
    _assert_persian_rtl(phone)
    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()

    # when
    toggler.click()
    # then
    expect(menu).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    # Bootstrap's opening animation has finished («collapsing» gives way to «show»).
    expect(phone.locator("#main-menu")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    expect(menu.locator("[data-menu=agencies]")).to_be_visible()
    assert _menu_keys(phone) == EXPECTED_MENU["staff"]
    _screenshot(phone, "phone-menu", tmp_path)

    # when: the menu works, not only shows
    menu.locator("[data-menu=agencies]").click()
    # then
    phone.wait_for_url(re.compile(r"/agencies/"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("دستگاه‌های اجرایی")
    assert phone.problems == []


def test_keyboard_users_can_skip_the_menu(page, log_in):
    # given
    log_in(page, "staff")
    # when
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="رفتن به محتوا")
    # then: the first stop is the skip link, shown on focus, and it leads past the menu
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()


def test_agency_search_updates_the_list_without_reloading(page, log_in, live_demo):
    # given
    log_in(page, "staff")
    page.goto(f"{live_demo.url}/agencies/")
    rows = page.locator("#agency-rows tbody tr")
    before = rows.count()
    # when
    page.get_by_label("جست‌وجو با نام یا کد").fill("بهزیستی")
    # then
    expect(page).to_have_url(re.compile(r"[?&]q="))
    expect(rows.first).to_contain_text("بهزیستی")
    after = rows.count()
    assert 0 < after < before
    for name in rows.locator("td:nth-child(2) a").all_inner_texts():
        assert "بهزیستی" in name
    assert page.problems == []


def _axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
            }));
        }"""
    )


def _screenshot(page: Any, name: str, tmp_path: Path) -> None:
    # Kept in KARNAMEH_SHOTS (default /tmp/shots) only when asked, else in pytest's tmp_path.
    folder = SHOTS if os.environ.get("KARNAMEH_SHOTS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(
    ("name", "username", "path"),
    [
        ("login", None, "/accounts/login/"),
        ("staff-home", "staff", "/"),
        ("agencies", "staff", "/agencies/"),
    ],
)
def test_no_serious_accessibility_violations(
    axe_page, log_in, live_demo, tmp_path, name, username, path
):
    # given
    if username:
        log_in(axe_page, username)
    axe_page.goto(f"{live_demo.url}{path}")
    _assert_persian_rtl(axe_page)
    _screenshot(axe_page, name, tmp_path)
    # when
    violations = _axe_violations(axe_page)
    # then
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    for violation in violations:
        print(json.dumps(violation, ensure_ascii=False, indent=1))
    assert serious == [], json.dumps(serious, ensure_ascii=False, indent=1)
