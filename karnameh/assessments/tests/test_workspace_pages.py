"""The workspace pages: who sees and who edits, Persian digits, a fixed number of queries."""

import pytest
import time_machine
from django.test import Client

from karnameh.assessments.models import Evidence
from karnameh.assessments.services import answer_save
from karnameh.cycles.tests.builders import after_step, open_cycle, participation, step_day
from karnameh.files.models import StoredFile
from karnameh.scoring import load_catalogue
from tests.test_persian_digits import ascii_digits_shown


@pytest.fixture
def cycle(demo):
    return open_cycle()


def client_for(demo_user, name: str) -> Client:
    client = Client()
    client.force_login(demo_user(name))
    return client


def page(cycle, agency: str = "AR-ED", gauge: str = "") -> str:
    base = f"/assessments/{cycle.pk}/{agency}/"
    return f"{base}general/{gauge}/" if gauge else base


def save(user, p, code="6.4.1", data=None, version=0):
    return answer_save(
        actor=user,
        participation=p,
        part="general",
        gauge_code=code,
        data=data or {"fields": {"received": 200, "handled": 119}},
        version=version,
    )


@pytest.mark.parametrize(
    ("name", "editable"),
    [("agency", True), ("office", True), ("hq", False), ("staff", False)],
)
def test_the_agency_and_its_office_edit_the_hq_and_staff_only_read(
    cycle, demo_user, name, editable
):
    # given: a day inside step 6
    with time_machine.travel(step_day(cycle, 6), tick=False):
        client = client_for(demo_user, name)
        # when
        listing = client.get(page(cycle))
        editor = client.get(page(cycle, gauge="6.4.1"))
    # then
    assert listing.status_code == editor.status_code == 200
    html = editor.content.decode()
    assert ('hx-post="' in html and "/save/" in html) is editable
    assert ('data-testid="read-only"' in html) is not editable
    received = html.split('name="f_received"')[1].split(">")[0]
    assert ("disabled" not in received) is editable


@pytest.mark.parametrize(
    ("name", "agency"), [("agency", "AR-EF"), ("agency", "IL-ED"), ("staff", "IL-ED")]
)
def test_another_agency_or_province_is_not_found(demo, demo_user, name, agency):
    # given: cycles in Ardabil and in Ilam
    ardabil = open_cycle()
    ilam = open_cycle(province="ilam", agencies=("IL-ED",))
    cycle = ilam if agency.startswith("IL") else ardabil
    client = client_for(demo_user, name)
    # when
    responses = [client.get(page(cycle, agency)), client.get(page(cycle, agency, "6.4.1"))]
    # then
    assert [r.status_code for r in responses] == [404, 404]


def test_the_workspace_shows_progress_scores_and_only_persian_digits(cycle, demo_user):
    # given: one answer (3.5 of 7)
    p = participation(cycle, "AR-ED")
    with time_machine.travel(step_day(cycle, 6), tick=False):
        save(demo_user("agency"), p)
        client = client_for(demo_user, "agency")
        # when
        pages = [client.get(page(cycle, gauge=g)) for g in ("", "6.4.1", "1.1.2", "3.1.1", "7.1.3")]
    # then
    for response in pages:
        assert response.status_code == 200
        assert ascii_digits_shown(response.content.decode()) == []
    listing = pages[0].content.decode()
    # one answer and the convergence gauge (the organization's) of a hundred
    progress = listing.split('data-testid="progress">')[1].split("</p>")[0]
    assert "۲" in progress and "۱۰۰" in progress and "۲٪" in progress
    assert listing.count('data-testid="gauge-row"') == 100
    assert listing.count('data-testid="axis"') == 7
    assert "۱۴۰۳/۰۴/۱۲" in listing
    editor = pages[1].content.decode()
    assert '<span data-testid="score">۳٫۵</span>' in editor
    assert 'rel="prev"' in editor and 'rel="next"' in editor


def test_the_editor_lays_out_tables_with_empty_rows_and_adds_rows_without_javascript(
    cycle, demo_user
):
    # given
    with time_machine.travel(step_day(cycle, 6), tick=False):
        client = client_for(demo_user, "agency")
        first = client.get(page(cycle, gauge="2.1.1")).content.decode()
        # when: «add rows» is pressed for the services table, with one row typed
        added = client.post(
            page(cycle, gauge="2.1.1"),
            {"rows-services": "3", "t-services-0-service": "صدور گواهی", "add_rows": "services"},
        )
    # then: three empty rows first, eight after, the typed row kept and nothing saved
    assert first.count('name="t-services-') == 3 * 4
    html = added.content.decode()
    assert html.count('name="t-services-') == 8 * 4
    assert 'value="صدور گواهی"' in html
    assert not participation(cycle, "AR-ED").answers.exists()


def test_the_form_is_read_only_after_the_deadline_and_says_why(cycle, demo_user):
    # given: one minute after step 6 closed
    with time_machine.travel(after_step(cycle, 6), tick=False):
        client = client_for(demo_user, "agency")
        # when
        html = client.get(page(cycle, gauge="6.4.1")).content.decode()
        refused = client.post(page(cycle, gauge="6.4.1"), {"f_received": "۲۰۰", "version": "0"})
    # then: the reason and the date, no autosave, and the plain save refused
    assert 'data-testid="lock"' in html and "۱۴۰۳/۰۴/۱۲" in html
    assert "/save/" not in html and "disabled" in html
    assert refused.status_code == 400
    assert "۱۴۰۳/۰۴/۱۲" in refused.content.decode()
    assert not participation(cycle, "AR-ED").answers.exists()


def _some_answer(gauge) -> dict:
    """A valid answer to any gauge the agency scores: a score, an option or ones."""
    rule = gauge.rule
    if rule.kind == "judgement":
        return {"score": "1"}
    if rule.kind == "choice":
        return {"choice": next(iter(rule.options))}
    figures = {}
    for field in gauge.fields:
        if field.source is None:
            figures[field.code] = (
                "yes" if field.type == "boolean" else next(iter(field.options or {}), "1")
            )
    return {"fields": figures}


def _answer_many(cycle, demo_user, count: int) -> None:
    p = participation(cycle, "AR-ED")
    agency = demo_user("agency")
    engine = load_catalogue("catalogues/provincial-1397-general.yaml")
    done = set(p.answers.values_list("gauge_code", flat=True))
    todo = [g for _i, g in engine.gauges() if g.rule.kind != "convergence" and g.code not in done]
    for gauge in todo[:count]:
        save(agency, p, code=gauge.code, data=_some_answer(gauge))
        stored = StoredFile.objects.create(
            file="uploads/x",
            name=f"{gauge.code}.pdf",
            size=2048,
            sha256="a" * 64,
            kind="pdf",
            content_type="application/pdf",
            uploaded_by=agency,
        )
        Evidence.objects.create(
            participation=p,
            part="general",
            gauge_code=gauge.code,
            file=stored,
            added_at=step_day(cycle, 6),
            added_by=agency,
        )


@pytest.mark.parametrize("gauge", ["", "4.1.1"])
def test_the_pages_cost_the_same_queries_with_one_or_sixty_answers(
    cycle, demo_user, gauge, django_assert_max_num_queries
):
    with time_machine.travel(step_day(cycle, 6), tick=False):
        # given: one answer with a file
        _answer_many(cycle, demo_user, 1)
        client = client_for(demo_user, "agency")
        client.get(page(cycle, gauge=gauge))  # the compiled catalogue is cached
        with django_assert_max_num_queries(30) as few:
            assert client.get(page(cycle, gauge=gauge)).status_code == 200
        # when: sixty answers, each with a file
        _answer_many(cycle, demo_user, 59)
        with django_assert_max_num_queries(30) as many:
            response = client.get(page(cycle, gauge=gauge))
    # then
    assert participation(cycle, "AR-ED").answers.count() == 60
    assert len(many.captured_queries) == len(few.captured_queries)
    assert response.status_code == 200
