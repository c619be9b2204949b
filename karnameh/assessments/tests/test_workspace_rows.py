"""The workspace's gauge rows: each links to its gauge and shows its status badge."""

import dataclasses
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from karnameh.assessments.selectors import workspace
from karnameh.assessments.services import answer_save
from karnameh.assessments.templatetags.assessments import gauge_rows, gauge_status
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


# The rows as the workspace template wrote them before ``gauge_rows`` (the tag must equal it).
TEMPLATE_ROWS = Template(
    """{% load assessments catalogue %}{% for row in block.rows %}
      <tr data-testid="gauge-row" data-gauge="{{ row.gauge.code }}">
        <td><a href="{{ gauge_prefix }}{{ row.part }}/{{ row.gauge.code }}/"><span class="ltr">{{ row.gauge.code|fa }}</span></a></td>
        <td>{{ row.gauge.title|fa }}</td>
        <td>{{ row.gauge.max_score|score }}</td>
        <td>{% if row.later %}—{% else %}{{ row.result.score|score }}{% endif %}</td>
        <td>{% gauge_status row.result row.later %}</td>
        <td>{{ row.evidence|length|fa }}{% if row.evidence_missing %} <span class="badge text-bg-danger">{% translate "missing" %}</span>{% endif %}</td>
      </tr>
    {% endfor %}"""  # noqa: E501 (the template's own lines)
)

ANSWERS = {
    "6.4.1": {"fields": {"received": 200, "handled": 119}},
    "6.4.2": {"fields": {"received": 200}},
    "1.3.1": {"not_applicable": True, "reason": "واحد شهرستانی ندارد"},
}


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
    with time_machine.travel(step_day(cycle, 6), tick=False):
        _answer(p, agency)
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
    shown = {code: (found[code]["badge"], found[code]["status"]) for code in ANSWERS}
    shown |= {code: (found[code]["badge"], found[code]["status"]) for code in ("1.1.1", "7.1.3")}
    assert shown == {
        "6.4.1": ("badge text-bg-success", "امتیازدهی‌شده"),
        "6.4.2": ("badge text-bg-danger", "ناقص"),
        "1.3.1": ("badge text-bg-secondary", "عدم مصداق"),
        "1.1.1": ("badge text-bg-light border", "بی‌پاسخ"),
        "7.1.3": ("badge text-bg-light border", "با امتیازدهی سازمان"),
    }


def _answer(p, agency) -> None:
    for code, data in ANSWERS.items():
        answer_save(
            actor=agency, participation=p, part="general", gauge_code=code, data=data, version=0
        )


def test_the_rows_tag_writes_what_the_template_wrote(cycle, demo_user):
    # given: every kind of row (scored, incomplete, not applicable, unanswered, scored later),
    # a few with files attached (the tag counts them) so that «missing» shows on some only
    p = participation(cycle, "AR-ED")
    with time_machine.travel(step_day(cycle, 6), tick=False):
        _answer(p, demo_user("agency"))
        space = workspace(p)
    space.row("general", "6.4.2").evidence = [object(), object()]
    space.row("general", "1.1.1").evidence = [object()]
    # 6.4.1 (scored, no file) as if its gauge asked for evidence: «missing» on its row
    asked = space.row("general", "6.4.1")
    asked.gauge = dataclasses.replace(asked.gauge, evidence="گزارش رسیدگی")
    prefix = reverse("assessments:workspace", args=[cycle.pk, "AR-ED"])
    statuses = set()
    for block in space.blocks:
        # when
        written = gauge_rows(block.rows, prefix)
        # then
        assert written == TEMPLATE_ROWS.render(Context({"block": block, "gauge_prefix": prefix}))
        statuses |= {(r.result.status, r.later, r.evidence_missing) for r in block.rows}
    assert {s for s, later, _m in statuses if not later} == {
        SCORED,
        INVALID,
        NOT_APPLICABLE,
        MISSING,
    }
    assert any(later for _s, later, _m in statuses)
    assert {missing for _s, _l, missing in statuses} == {True, False}


def test_the_rows_tag_escapes_as_the_template_did():
    # given: a catalogue's text with markup in it, and an address with a quote
    gauge = SimpleNamespace(code='1.1"<', title="<b>درآمد & هزینه</b>", max_score=Decimal("2.50"))
    result = GaugeResult('1.1"<', Decimal("1.25"), Decimal("2.5"), SCORED, ())
    row = SimpleNamespace(
        gauge=gauge,
        part="general",
        result=result,
        later=False,
        evidence=[],
        evidence_missing=True,
    )
    block = SimpleNamespace(rows=[row])
    # when
    written = gauge_rows(block.rows, '/a"b/')
    # then
    assert written == TEMPLATE_ROWS.render(Context({"block": block, "gauge_prefix": '/a"b/'}))
    assert "<b>" not in written and "&lt;b&gt;" in written and "&quot;" in written


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
