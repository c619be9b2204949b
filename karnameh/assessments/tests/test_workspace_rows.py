"""The workspace's gauge rows: each links to its gauge and shows its status badge."""

import re
from decimal import Decimal

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from karnameh.assessments.services import answer_save
from karnameh.assessments.templatetags.assessments import gauge_status
from karnameh.cycles.tests.builders import open_cycle, participation, step_day
from karnameh.scoring.engine import INVALID, MISSING, NOT_APPLICABLE, SCORED, GaugeResult

# A row: its gauge, its link, and the badge in its status cell (the fifth).
ROW = re.compile(
    r'<tr data-testid="gauge-row" data-gauge="(?P<code>[^"]+)">\s*'
    r'<td><a href="(?P<href>[^"]*)">.*?</td>\s*'
    r"(?:<td>.*?</td>\s*){3}"
    r'<td><span class="(?P<badge>[^"]+)">(?P<status>[^<]*)</span>\s*</td>',
    re.S,
)


@pytest.fixture
def cycle(demo):
    return open_cycle()


def rows(html: str) -> dict[str, dict[str, str]]:
    return {m["code"]: m.groupdict() for m in ROW.finditer(html)}


def test_each_row_links_to_its_gauge_and_shows_its_status(cycle, demo_user):
    # given: a scored answer, a half-typed one, one not applicable; 1.1.1 is left unanswered
    # and 7.1.3 is the organization's (convergence)
    p = participation(cycle, "AR-ED")
    agency = demo_user("agency")
    answers = {
        "6.4.1": {"fields": {"received": 200, "handled": 119}},
        "6.4.2": {"fields": {"received": 200}},
        "1.3.1": {"not_applicable": True, "reason": "واحد شهرستانی ندارد"},
    }
    with time_machine.travel(step_day(cycle, 6), tick=False):
        for code, data in answers.items():
            answer_save(
                actor=agency, participation=p, part="general", gauge_code=code, data=data, version=0
            )
        client = Client()
        client.force_login(agency)
        # when
        response = client.get(f"/assessments/{cycle.pk}/AR-ED/")
    # then: every row's link is the gauge page's own address
    assert response.status_code == 200
    found = rows(response.content.decode())
    assert len(found) == 100
    for code, row in found.items():
        assert row["href"] == reverse(
            "assessments:gauge", args=[cycle.pk, "AR-ED", "general", code]
        )
    # and each status reads as it did when it was a template of its own
    shown = {code: (found[code]["badge"], found[code]["status"]) for code in answers}
    shown |= {code: (found[code]["badge"], found[code]["status"]) for code in ("1.1.1", "7.1.3")}
    assert shown == {
        "6.4.1": ("badge text-bg-success", "امتیازدهی‌شده"),
        "6.4.2": ("badge text-bg-danger", "ناقص"),
        "1.3.1": ("badge text-bg-secondary", "عدم مصداق"),
        "1.1.1": ("badge text-bg-light border", "بی‌پاسخ"),
        "7.1.3": ("badge text-bg-light border", "با امتیازدهی سازمان"),
    }


@pytest.mark.parametrize(
    ("status", "later", "badge"),
    [
        (SCORED, False, '<span class="badge text-bg-success">امتیازدهی‌شده</span>'),
        (INVALID, False, '<span class="badge text-bg-danger">ناقص</span>'),
        (NOT_APPLICABLE, False, '<span class="badge text-bg-secondary">عدم مصداق</span>'),
        (MISSING, False, '<span class="badge text-bg-light border">بی‌پاسخ</span>'),
        (SCORED, True, '<span class="badge text-bg-light border">با امتیازدهی سازمان</span>'),
    ],
)
def test_the_status_template_and_tag_draw_the_same_badge(status, later, badge):
    # given
    result = GaugeResult("1.1.1", Decimal(0), Decimal(5), status, ())
    # when
    included = render_to_string(
        "assessments/_gauge_status.html", {"result": result, "later": later}
    )
    # then
    assert included.strip() == gauge_status(result, later) == badge


def test_no_result_yet_reads_not_answered():
    assert gauge_status(None) == '<span class="badge text-bg-light border">بی‌پاسخ</span>'
