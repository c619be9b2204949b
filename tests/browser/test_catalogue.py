"""Staff read a catalogue and try a gauge's rule in a real Chromium: htmx scores as they type.

Also axe-core on the browse and gauge pages (DESIGN.md habit 10), with every <details> open so
that the whole catalogue is checked, not only its summaries.
"""

import json
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from karnameh.catalogue.services import catalogue_import
from karnameh.catalogue.tests.builders import RICH, complaints_data, make

from .test_roles import _assert_persian_rtl, _axe_violations, _screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogues(live_demo: Any) -> Any:
    """Ardabil's 1398 draft (complaint bands in 6.4.1), and the rich test catalogue."""
    make(complaints_data("ardabil-1398"), province="ardabil")
    from karnameh.accounts.models import User

    catalogue_import(actor=User.objects.get(username="admin"), text=RICH.read_text(), province=None)
    return live_demo


def test_staff_open_a_gauge_and_see_the_score_follow_their_figures(page, log_in, catalogues):
    # given
    log_in(page, "staff")
    page.get_by_test_id("menu").locator("[data-menu=catalogues]").click()
    page.get_by_role("link", name="شاخص‌نامهٔ آزمایشی ۱۳۹۸", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("شاخص‌نامهٔ آزمایشی ۱۳۹۸")
    # when: down the tree to the gauge, by keyboard-reachable summaries
    page.locator("summary", has_text="محور ۶. محور ششم").click()
    page.locator("summary", has_text="شاخص ۶.۴. رسیدگی به شکایات").click()
    page.locator("summary", has_text="نماگر ۶.۴.۱").click()
    expect(page.get_by_test_id("rule").first).to_contain_text("بازه‌ها")
    page.get_by_role("link", name="باز کردن نماگر ۶.۴.۱ و آزمودن قاعدهٔ آن").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("نماگر ۶.۴.۱")
    # A mark that a full page load would wipe: the result must come without one.
    page.evaluate("window.karnamehMark = 'still here'")
    page.get_by_label("شکایات دریافتی").fill("۲۰۰")
    page.get_by_label("شکایات رسیدگی‌شده").fill("۱۱۹")
    # then
    expect(page.get_by_test_id("try-score")).to_have_text("۳٫۵")
    expect(page.get_by_test_id("try-max")).to_have_text("۷")
    expect(page.get_by_test_id("try-explanation")).to_contain_text("«از ۳۰ تا کمتر از ۶۰ درصد»")
    expect(page.get_by_test_id("try-explanation")).to_contain_text("۵۰٪ × ۷ = ۳٫۵")

    # when: more complaints handled
    page.get_by_label("شکایات رسیدگی‌شده").fill("130")
    # then
    expect(page.get_by_test_id("try-score")).to_have_text("۷")
    expect(page.get_by_test_id("try-status")).to_have_text("امتیازدهی‌شده")
    assert page.evaluate("window.karnamehMark") == "still here"
    expect(page).to_have_url(re.compile(r"/gauges/6\.4\.1/\?.*f_handled=130"))
    assert page.problems == []

    # when: the address htmx wrote is reloaded, without JavaScript's help
    page.reload()
    # then
    expect(page.get_by_test_id("try-score")).to_have_text("۷")
    expect(page.get_by_label("شکایات رسیدگی‌شده")).to_have_value("130")


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("catalogue-browse", "/catalogues/national-1402-rich/"),
        ("catalogue-gauge", "/catalogues/national-1402-rich/gauges/2.2.1/?try=1&f_level=high"),
        (
            "catalogue-try",
            "/catalogues/ardabil-1398/gauges/6.4.1/?try=1&f_received=200&f_handled=119",
        ),
    ],
)
def test_no_serious_accessibility_violations_on_catalogue_pages(
    axe_page, log_in, catalogues, tmp_path, name, path
):
    # given
    log_in(axe_page, "staff")
    axe_page.goto(f"{catalogues.url}{path}")
    _assert_persian_rtl(axe_page)
    axe_page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    _screenshot(axe_page, name, tmp_path)
    # when
    violations = _axe_violations(axe_page)
    # then
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    for violation in violations:
        print(json.dumps(violation, ensure_ascii=False, indent=1))
    assert serious == [], json.dumps(serious, ensure_ascii=False, indent=1)
