"""The report card in a real Chromium: the agency, after publication, reads its final score;
the page is drawn (a screenshot that is not blank) and axe-core finds nothing serious."""

from typing import Any

import pytest
from playwright.sync_api import expect

from karnameh.common.templatetags.fa import fa
from karnameh.cycles.tests.builders import participation
from karnameh.reports.tests.test_cards_builders import SAMPLE, published_cycle

from .test_portal import _not_blank
from .test_roles import _axe_violations, _screenshot

pytestmark = pytest.mark.browser


def test_the_agency_reads_its_report_card_after_publication(
    axe_page: Any, log_in: Any, live_demo: Any, tmp_path: Any
) -> None:
    # given: the results of the cycle are published
    cycle = published_cycle(SAMPLE)
    final = participation(cycle, "AR-ED").result.final
    log_in(axe_page, "agency")
    # when
    axe_page.goto(f"{live_demo.url}/reports/{cycle.pk}/card/AR-ED/")
    # then: the final score, in Persian digits, and the chart
    expect(axe_page.get_by_test_id("card-final")).to_have_text(fa(final))
    chart = axe_page.locator("img.chart")
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.naturalWidth") > 100
    _screenshot(axe_page, "report-card", tmp_path)
    assert _not_blank(axe_page.screenshot(full_page=True))
    serious = [v for v in _axe_violations(axe_page) if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    assert axe_page.problems == []
