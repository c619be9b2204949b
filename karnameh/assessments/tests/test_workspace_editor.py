"""The gauge editor: live score, autosave, conflicts, retried saves, bad figures."""

import pytest
import time_machine
from django.test import Client

from karnameh.assessments.models import Answer, RequestKey
from karnameh.audit.models import AuditEvent
from karnameh.cycles.tests.builders import open_cycle, participation, step_day


@pytest.fixture
def cycle(demo):
    return open_cycle()


@pytest.fixture
def inside(cycle):
    with time_machine.travel(step_day(cycle, 6), tick=False):
        yield


def client_for(demo_user, name: str) -> Client:
    client = Client()
    client.force_login(demo_user(name))
    return client


def url(cycle, tail: str = "", gauge: str = "6.4.1") -> str:
    return f"/assessments/{cycle.pk}/AR-ED/general/{gauge}/{tail}"


def form(received="۲۰۰", handled="۱۱۹", version=0, key="k-1", **more):
    return {"f_received": received, "f_handled": handled, "version": version, "key": key, **more}


def test_the_live_score_is_the_engines_for_persian_digits_and_saves_nothing(
    cycle, inside, demo_user
):
    # given
    client = client_for(demo_user, "agency")
    # when: 119 of 200 typed with Persian digits
    response = client.post(url(cycle, "score/"), form(), HTTP_HX_REQUEST="true")
    # then: half of 7 (59.5% handled), explained, and nothing stored
    html = response.content.decode()
    assert response.status_code == 200
    assert '<span data-testid="score">۳٫۵</span>' in html and 'data-status="scored"' in html
    assert "۵۹٫۵" in html
    assert not Answer.objects.exists() and not RequestKey.objects.exists()
    assert not AuditEvent.objects.filter(action="answer.save").exists()


def test_the_live_score_names_a_bad_figure(cycle, inside, demo_user):
    client = client_for(demo_user, "agency")
    response = client.post(url(cycle, "score/"), form(received="دویست"))
    html = response.content.decode()
    assert 'data-testid="score-error"' in html and "۶.۴.۱" in html
    assert not Answer.objects.exists()


def test_autosave_saves_a_draft_and_swaps_in_the_new_version_and_a_fresh_key(
    cycle, inside, demo_user
):
    # given
    client = client_for(demo_user, "agency")
    # when
    response = client.post(url(cycle, "save/"), form(), HTTP_HX_REQUEST="true")
    # then
    html = response.content.decode()
    answer = Answer.objects.get()
    assert answer.version == 1 and answer.data == {"fields": {"received": 200, "handled": 119}}
    assert 'data-testid="saved"' in html
    assert 'name="version" value="1" id="id_version" hx-swap-oob="true"' in html
    assert 'name="key"' in html and 'value="k-1"' not in html
    assert participation(cycle, "AR-ED").state == "draft"


def test_a_retried_save_with_the_same_key_is_applied_once_through_the_page(
    cycle, inside, demo_user
):
    # given: an autosave that landed, whose answer the browser never got
    client = client_for(demo_user, "agency")
    client.post(url(cycle, "save/"), form(), HTTP_HX_REQUEST="true")
    # when: the same request again (same key, same starting version)
    again = client.post(url(cycle, "save/"), form(), HTTP_HX_REQUEST="true")
    # then: no conflict, one version, one audit event
    assert 'data-testid="saved"' in again.content.decode()
    assert Answer.objects.get().version == 1
    assert AuditEvent.objects.filter(action="answer.save").count() == 1


def test_a_conflict_shows_both_answers_and_saves_nothing(cycle, inside, demo_user):
    # given: the agency user saved 119 of 200 (version 1)
    client_for(demo_user, "agency").post(url(cycle, "save/"), form())
    office = client_for(demo_user, "office")
    # when: the office, who opened version 0, saves 1 of 10 (autosave and plain submit)
    partial = office.post(url(cycle, "save/"), form("۱۰", "۱", key="k-2"))
    page = office.post(url(cycle), form("۱۰", "۱", key="k-3"))
    # then: both values side by side, and a way to overwrite with theirs' version
    for html in (partial.content.decode(), page.content.decode()):
        assert 'data-testid="conflict"' in html
        assert '<td data-testid="theirs">۲۰۰</td>' in html
        assert '<td data-testid="mine">۱۰</td>' in html
        assert 'name="overwrite" value="1"' in html
    assert page.status_code == 409
    assert 'value="۱۰"' in page.content.decode()  # what they typed is still in the form
    answer = Answer.objects.get()
    assert answer.version == 1 and answer.data["fields"]["received"] == 200
    # when: the office overwrites with its own answer
    office.post(url(cycle), form("۱۰", "۱", key="k-4", overwrite="1"))
    # then
    answer.refresh_from_db()
    assert answer.version == 2 and answer.data["fields"] == {"received": 10, "handled": 1}


def test_a_conflict_over_a_self_score_with_a_fraction_shows_both_scores(cycle, inside, demo_user):
    """Found by the load run: a fraction is stored as a JSON number (3.5), which the
    conflict panel could not write, so the colleague's autosave answered 500."""
    # given: the agency user's self-score 3.5 on a judgement gauge (2.10.1, out of 20)
    judged = {"score": "۳٫۵", "version": 0, "key": "k-1"}
    client_for(demo_user, "agency").post(url(cycle, "save/", "2.10.1"), judged)
    assert Answer.objects.get().data == {"score": 3.5}
    # when: the office, who opened version 0, autosaves 2
    office = client_for(demo_user, "office").post(
        url(cycle, "save/", "2.10.1"), {**judged, "score": "۲", "key": "k-2"}
    )
    # then: both scores side by side, and nothing of the office's saved
    html = office.content.decode()
    assert office.status_code == 200 and 'data-testid="conflict"' in html
    assert '<td data-testid="theirs">۳٫۵</td>' in html
    assert '<td data-testid="mine">۲</td>' in html
    assert Answer.objects.get().version == 1 and Answer.objects.get().data == {"score": 3.5}


def test_a_plain_submit_saves_and_redirects_and_a_bad_figure_keeps_what_was_typed(
    cycle, inside, demo_user
):
    client = client_for(demo_user, "agency")
    # when: a figure that is not a number
    refused = client.post(url(cycle), form(received="دویست", handled="۱۱۹"))
    # then: the message names the gauge and the figure; the input is still there
    html = refused.content.decode()
    assert refused.status_code == 400
    assert 'data-testid="error"' in html and "۶.۴.۱" in html
    assert 'value="دویست"' in html and 'value="۱۱۹"' in html
    assert not Answer.objects.exists()
    # when: corrected
    saved = client.post(url(cycle), form())
    # then
    assert saved.status_code == 302 and saved["Location"] == url(cycle)
    assert Answer.objects.get().version == 1


def test_tables_checklists_and_not_applicable_are_read_like_an_answers_file(
    cycle, inside, demo_user
):
    client = client_for(demo_user, "agency")
    # when: two tasks of the county table, the second half executed
    rows = {
        "rows-county_tasks": "3",
        "t-county_tasks-0-task": "الف",
        "t-county_tasks-0-executed_percent": "۱۰۰",
        "t-county_tasks-1-task": "ب",
        "t-county_tasks-1-executed_percent": "۵۰",
        "version": "0",
    }
    client.post(url(cycle, gauge="1.3.1"), rows)
    # then: the empty third row is dropped, figures are ASCII
    answer = Answer.objects.get(gauge_code="1.3.1")
    assert answer.data["tables"] == {
        "county_tasks": [
            {"task": "الف", "executed_percent": 100},
            {"task": "ب", "executed_percent": 50},
        ]
    }
    # when: marked not applicable without a reason, then with one
    refused = client.post(url(cycle, gauge="1.3.1"), {"not_applicable": "on", "version": "1"})
    client.post(
        url(cycle, gauge="1.3.1"),
        {"not_applicable": "on", "reason": "واحد شهرستانی ندارد", "version": "1"},
    )
    # then
    assert refused.status_code == 400
    answer.refresh_from_db()
    assert answer.data == {"not_applicable": True, "reason": "واحد شهرستانی ندارد"}
    assert answer.status == "not_applicable"


def test_the_hq_cannot_save_or_autosave(cycle, inside, demo_user):
    client = client_for(demo_user, "hq")
    assert client.post(url(cycle), form()).status_code == 403
    assert client.post(url(cycle, "save/"), form()).status_code == 403
    assert not Answer.objects.exists()
