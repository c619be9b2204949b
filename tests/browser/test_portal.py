"""The public portal (دولت‌سنج) in a real Chromium, as a visitor who never signs in.

One walk: the index, a published cycle's ranking, a search typed with Arabic letters, an
agency's page whose two charts are really drawn; a screenshot that is not blank; a 375 px
phone with no sideways scrolling; and axe-core on every portal page.
"""

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from karnameh.accounts.models import User
from karnameh.cycles.models import Cycle
from karnameh.cycles.tests.builders import after_step, open_cycle
from karnameh.portal.tests.builders import released
from karnameh.results.models import Result
from karnameh.results.services import council_approve, final_approve, publish
from karnameh.results.tests.builders import evaluate

from .conftest import _new_page
from .test_roles import _axe_violations, _screenshot

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Is anything drawn on the canvas? (a blank canvas is all transparent pixels)
DRAWN = """canvas => {
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) inked++; }
    return inked;
}"""


@pytest.fixture
def published(live_demo: Any) -> Cycle:
    """Ardabil 1403 evaluated, approved and published through the services; 1402 before it
    with AR-ED and AR-WEL, so that the years can be compared."""
    cache.clear()
    released(1402, {"AR-ED": (61.5, 380, 250), "AR-WEL": (58.25, 360, 200)})
    cycle = open_cycle()
    evaluate(cycle)
    people = {
        u.username: u for u in User.objects.filter(username__in=["deputy", "council", "staff"])
    }
    with time_machine.travel(after_step(cycle, 9), tick=False):
        final_approve(actor=people["deputy"], cycle=cycle)
        council_approve(
            actor=people["council"],
            cycle=cycle,
            minutes=SimpleUploadedFile("صورت‌جلسه.pdf", PDF, content_type="application/pdf"),
        )
        publish(actor=people["staff"], cycle=cycle)
    return cycle


@pytest.fixture
def narrow(browser: Any) -> Iterator[Any]:
    """A 375 px phone (an iPhone SE/mini), never signed in."""
    yield from _new_page(
        browser, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )


def _not_blank(png: bytes) -> bool:
    picture = Image.open(io.BytesIO(png)).convert("L")
    low, high = picture.getextrema()
    return high - low > 64 and len(picture.resize((64, 64)).getcolors(4096) or []) > 8


def test_a_visitor_reads_the_ranking_searches_and_opens_an_agency(
    page, narrow, live_demo, published, tmp_path
):
    base = live_demo.url
    best = Result.objects.filter(participation__cycle=published).order_by("-final").first()
    assert best is not None
    # given: the index, without signing in
    page.goto(f"{base}/public/")
    expect(page.get_by_test_id(f"portal-cycle-{published.pk}")).to_be_visible()
    # when: the visitor opens the cycle
    page.get_by_test_id(f"portal-cycle-{published.pk}").get_by_role("link").click()
    # then: the ranking, best first
    overall = page.get_by_test_id("portal-overall")
    expect(overall.locator("tbody tr").first).to_contain_text(best.participation.agency.name)
    expect(overall.locator("tbody tr")).to_have_count(4)
    assert page.context.cookies() == []
    _screenshot(page, "portal-ranking", tmp_path)
    # when: a search typed on an Arabic keyboard
    page.locator("#portal-q").fill("بهزيستي")
    page.locator("#portal-q").press("Enter")
    # then: only the welfare office is left
    expect(overall.locator("tbody tr")).to_have_count(1)
    expect(overall).to_contain_text("بهزیستی")
    # when: the visitor opens its page
    overall.get_by_role("link").first.click()
    expect(page.get_by_test_id("portal-agency-name")).to_contain_text("بهزیستی")
    # then: both charts are drawn, and the tables hold the same years
    for chart in ("portal-axes-chart", "portal-years-chart"):
        canvas = page.get_by_test_id(chart)
        expect(canvas).to_have_attribute("data-drawn", "true")
        assert canvas.evaluate(DRAWN) > 500, chart
    expect(page.get_by_test_id("portal-years").locator("tbody tr")).to_have_count(2)
    expect(page.get_by_test_id("portal-year-1402")).to_contain_text("۵۸٫۲۵")
    _screenshot(page, "portal-agency", tmp_path)
    assert _not_blank(page.screenshot(full_page=True))
    # and back to the ranking
    page.get_by_test_id("portal-back").click()
    expect(page.get_by_test_id("portal-overall").locator("tbody tr")).to_have_count(4)
    assert page.problems == []

    # On a 375 px phone nothing makes the page scroll sideways: wide tables scroll inside their
    # own box (which must be positioned, or the hidden texts for screen readers in a scrolled
    # table would widen the page).
    wel = f"{base}/public/{published.pk}/AR-WEL/"
    for path in (f"{base}/public/", f"{base}/public/{published.pk}/", wel):
        narrow.goto(path)
        overflow = narrow.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    expect(narrow.get_by_test_id("portal-axes-chart")).to_have_attribute("data-drawn", "true")
    _screenshot(narrow, "portal-agency-phone", tmp_path)
    assert _not_blank(narrow.screenshot(full_page=True))
    assert narrow.problems == []


def test_no_serious_accessibility_violations_in_the_portal(axe_page, live_demo, published):
    base = live_demo.url
    for path in ("/public/", f"/public/{published.pk}/", f"/public/{published.pk}/AR-ED/"):
        # given
        axe_page.goto(f"{base}{path}")
        # when
        violations = _axe_violations(axe_page)
        # then
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert serious == [], path + json.dumps(serious, ensure_ascii=False, indent=1)
