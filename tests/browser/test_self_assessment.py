"""An agency's self-assessment from first figure to transfer, in a real Chromium.

The agency user types figures with Persian digits and sees the engine's score follow, the
answer saves itself, evidence is uploaded, the self-assessment is submitted (a receipt), the
performance office records the council's approval with its minutes, and the HQ approves and
transfers it to the organization. Also axe-core on the workspace and the gauge editor.
"""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from karnameh.assessments.demo import load_demo_cycle
from karnameh.assessments.models import Answer, Evidence
from karnameh.cycles.models import AssessmentState, Participation

from .conftest import _new_page
from .test_roles import _axe_violations, _screenshot

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def cycle(live_demo: Any) -> Any:
    load_demo_cycle()
    return live_demo


@pytest.fixture
def second_tab(browser: Any) -> Iterator[Any]:
    """Another person's browser (its own cookies)."""
    yield from _new_page(browser, viewport={"width": 1280, "height": 900})


def _ar_ed() -> Participation:
    return Participation.objects.get(agency__code="AR-ED")


def test_an_agency_enters_submits_and_its_hq_approves_and_transfers(
    page, second_tab, log_in, cycle, tmp_path
):
    # given: the agency user, half-way through AR-ED's self-assessment
    log_in(page, "agency")
    page.get_by_test_id("menu").locator("[data-menu=mine]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("خودارزیابی")
    expect(page.get_by_test_id("state")).to_contain_text("در حال ورود اطلاعات")
    # when: to gauge 6.4.1 through its axis, and figures typed with Persian digits
    page.locator("summary", has_text="۶. ").first.click()
    page.locator("[data-gauge='6.4.1'] a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("۶.۴.۱")
    page.get_by_label("تعداد شکایات دریافت شده سال ۹۷").fill("۲۰۰")
    page.get_by_label("تعداد شکایات رسیدگی شده سال ۹۷").fill("۱۱۹")
    page.get_by_label("تعداد شکایات رسیدگی شده سال ۹۷").blur()
    # then: the engine's score and explanation follow, and the answer saves itself
    expect(page.get_by_test_id("score")).to_have_text("۳٫۵")
    expect(page.get_by_test_id("explanation")).to_contain_text("از ۳۰ تا کمتر از ۶۰ درصد")
    expect(page.get_by_test_id("saved")).to_be_visible()
    answer = Answer.objects.get(participation=_ar_ed(), gauge_code="6.4.1")
    assert answer.data == {"fields": {"received": 200, "handled": 119}}
    assert str(answer.score) == "3.50"

    # when: a report is attached, under a Persian name
    page.wait_for_load_state("networkidle")
    page.locator("#evidence-files").set_input_files(
        {"name": "گزارش شکایات ۱۴۰۳.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="بارگذاری").click()
    # then
    expect(page.get_by_test_id("evidence-item")).to_contain_text("گزارش شکایات ۱۴۰۳.pdf")
    assert Evidence.objects.get(participation=_ar_ed()).file.sha256
    _screenshot(page, "workspace-gauge", tmp_path)

    # when: back to the workspace, checked and submitted (once the editor's own requests are
    # done: leaving mid-request would abort them, as a person's browser would)
    page.wait_for_load_state("networkidle")
    page.get_by_test_id("menu").locator("[data-menu=mine]").click()
    page.get_by_role("link", name="بررسی و ارسال").click()
    expect(page.get_by_test_id("submit-check")).to_be_visible()
    page.locator("form[data-transition=submit] button[type=submit]").click()
    # then: a receipt with a number
    receipt = _ar_ed().receipt
    assert receipt and _ar_ed().state == AssessmentState.SUBMITTED
    expect(page.get_by_test_id("receipt")).to_contain_text(receipt.translate(_PERSIAN))
    assert page.problems == []

    # when: the performance office records the council's approval with its minutes
    office = second_tab
    log_in(office, "office")
    office.get_by_test_id("menu").locator("[data-menu=mine]").click()
    form = office.locator("form[data-transition=office_approve]")
    form.get_by_label("صورت‌جلسهٔ شورای راهبری").set_input_files(
        {"name": "صورت‌جلسه.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    form.locator("button[type=submit]").click()
    # then
    expect(office.locator("[data-testid=workflow] [data-state]")).to_have_attribute(
        "data-state", AssessmentState.OFFICE_APPROVED
    )
    office.get_by_role("button", name="خروج").click()

    # when: the HQ of the Ministry of Education approves and transfers it
    log_in(office, "hq")
    office.get_by_test_id("menu").locator("[data-menu=cycles]").click()
    office.get_by_role("link", name="ارزیابی عملکرد دستگاه‌های اجرایی استان اردبیل").click()
    office.get_by_role("link", name="ادارهٔ کل آموزش و پرورش استان اردبیل").click()
    office.locator("form[data-transition=hq_approve] button[type=submit]").click()
    expect(office.locator("[data-testid=workflow] [data-state]")).to_have_attribute(
        "data-state", AssessmentState.HQ_APPROVED
    )
    office.locator("form[data-transition=transfer] button[type=submit]").click()
    # then: transferred, and the timeline says who did each step
    expect(office.locator("[data-testid=workflow] [data-state]")).to_have_attribute(
        "data-state", AssessmentState.TRANSFERRED
    )
    done = _ar_ed()
    assert done.state == AssessmentState.TRANSFERRED
    assert done.hq_approved_by.username == "hq" and done.transferred_by.username == "hq"
    assert office.problems == []
    _screenshot(office, "workspace-transferred", tmp_path)


_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.mark.parametrize("path", ["", "general/6.4.1/"])
def test_the_workspace_pages_have_no_serious_accessibility_violations(
    axe_page, log_in, cycle, path
):
    log_in(axe_page, "agency")
    axe_page.goto(f"{cycle.url}/assessments/{_ar_ed().cycle_id}/AR-ED/{path}")
    for details in axe_page.locator("details").all():
        details.evaluate("element => element.open = true")
    serious = [v for v in _axe_violations(axe_page) if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, ensure_ascii=False, indent=1)
