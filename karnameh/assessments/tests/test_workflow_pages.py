"""The workflow's pages: the actions panel per role, the submit check, the receipt, extensions,
the staff list of a cycle."""

import datetime as dt

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from karnameh.assessments.selectors import workspace
from karnameh.assessments.services import answer_save
from karnameh.assessments.views_workflow import workflow_context
from karnameh.audit.models import AuditEvent
from karnameh.cycles.deadlines import TEHRAN, end_of_day
from karnameh.cycles.models import AssessmentState as S
from karnameh.cycles.tests.builders import after_step, open_cycle, participation, step_day
from tests.test_persian_digits import ascii_digits_shown

from .test_transitions import at_state, minutes_file, move, snapshot

COMPLAINTS = {"fields": {"received": 200, "handled": 119}}


@pytest.fixture
def cycle(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return open_cycle()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def panel(user, p) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("assessments/_actions.html", workflow_context(user, p), request)


def answer(user, p, code="6.4.1", data=COMPLAINTS):
    return answer_save(
        actor=user, participation=p, part="general", gauge_code=code, data=data, version=0
    )


def test_the_panel_offers_each_role_its_own_actions(cycle, demo_user):
    p = at_state(participation(cycle, "AR-ED"), S.SUBMITTED)
    with time_machine.travel(step_day(cycle, 6), tick=False):
        office = panel(demo_user("office"), p)
        agency = panel(demo_user("agency"), p)
        hq = panel(demo_user("hq"), p)
        staff = panel(demo_user("staff"), p)
        deputy = panel(demo_user("deputy"), p)
    # then: the office records the council (with a file field) or returns; the agency withdraws
    assert 'data-transition="office_approve"' in office and 'type="file"' in office
    assert 'data-transition="office_return"' in office
    assert 'data-transition="withdraw"' in agency and "office_approve" not in agency
    # the HQ has nothing to do yet; staff may extend; the deputy only reads
    assert "data-transition" not in hq and "data-transition" not in deputy
    assert 'name="date"' in staff and "data-transition" not in staff
    assert f'value="{p.version}"' in office


def test_the_panel_shows_the_history_with_receipt_and_minutes(cycle, demo_user):
    p = participation(cycle, "AR-ED")
    with time_machine.travel(step_day(cycle, 6), tick=False):
        move(demo_user("agency"), p, "submit")
        move(demo_user("office"), p, "office_approve")
        p.refresh_from_db()
        html = panel(demo_user("hq"), p)
    assert f"/assessments/{cycle.pk}/AR-ED/minutes/" in html
    assert f"/assessments/{cycle.pk}/AR-ED/receipt/" in html
    assert "مریم کریمی" in html and "رضا احمدی" in html
    assert 'data-transition="hq_approve"' in html
    assert ascii_digits_shown(html) == []


def test_after_the_deadline_the_form_is_disabled_and_says_so(cycle, demo_user):
    p = at_state(participation(cycle, "AR-ED"), S.OFFICE_APPROVED)
    with time_machine.travel(after_step(cycle, 7), tick=False):
        html = panel(demo_user("hq"), p)
    assert "<fieldset disabled>" in html
    assert "alert-secondary" in html


def test_the_submit_check_lists_what_is_missing_and_still_allows_submitting(cycle, demo_user):
    # given: one gauge answered
    p = participation(cycle, "AR-ED")
    with time_machine.travel(step_day(cycle, 6), tick=False):
        answer(demo_user("agency"), p)
        space = workspace(p)
        # when
        response = client_for(demo_user("agency")).get(f"/assessments/{cycle.pk}/AR-ED/submit/")
    # then: the counts come from the workspace, unanswered gauges link to their editor
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-count="unanswered">{_fa(space.unanswered)}<' in html
    assert f"/assessments/{cycle.pk}/AR-ED/general/3.1.1/" in html
    assert 'data-transition="submit"' in html
    assert ascii_digits_shown(html) == []


def _fa(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def test_submitting_from_the_page_leads_to_the_receipt(cycle, demo_user):
    p = participation(cycle, "AR-ED")
    client = client_for(demo_user("agency"))
    with time_machine.travel(step_day(cycle, 6), tick=False):
        answer(demo_user("agency"), p)
        # when
        response = client.post(
            f"/assessments/{cycle.pk}/AR-ED/act/submit/",
            {"submit-version": 0, "submit-key": "k1"},
            follow=True,
        )
    # then: on the receipt page, with the number in Persian digits and the self-score total
    p.refresh_from_db()
    assert p.state == S.SUBMITTED and p.receipt
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/assessments/{cycle.pk}/AR-ED/receipt/"
    assert _fa(int(p.receipt.split("-")[0])) in html
    assert "data-total>۳٫۵۰<" in html.replace(" ", "")
    assert ascii_digits_shown(html) == []


def test_a_refused_move_on_the_page_shows_why_and_changes_nothing(cycle, demo_user):
    p = at_state(participation(cycle, "AR-ED"), S.SUBMITTED)
    before = snapshot(p)
    with time_machine.travel(step_day(cycle, 6), tick=False):
        # when: returned without a reason
        response = client_for(demo_user("office")).post(
            f"/assessments/{cycle.pk}/AR-ED/act/office_return/",
            {"office_return-version": p.version, "office_return-reason": ""},
        )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert snapshot(p) == before


def test_a_stale_page_is_refused_with_the_services_message(cycle, demo_user):
    p = at_state(participation(cycle, "AR-ED"), S.SUBMITTED)
    before = snapshot(p)
    with time_machine.travel(step_day(cycle, 6), tick=False):
        response = client_for(demo_user("office")).post(
            f"/assessments/{cycle.pk}/AR-ED/act/office_approve/",
            {"office_approve-version": p.version + 5, "office_approve-minutes": minutes_file()},
        )
    assert response.status_code == 400
    assert snapshot(p) == before


def test_the_council_approval_from_the_page_stores_the_minutes_for_download(cycle, demo_user):
    p = at_state(participation(cycle, "AR-ED"), S.SUBMITTED)
    with time_machine.travel(step_day(cycle, 6), tick=False):
        response = client_for(demo_user("office")).post(
            f"/assessments/{cycle.pk}/AR-ED/act/office_approve/",
            {"office_approve-version": p.version, "office_approve-minutes": minutes_file()},
        )
    assert response.status_code == 302
    download = client_for(demo_user("hq")).get(f"/assessments/{cycle.pk}/AR-ED/minutes/")
    assert download.status_code == 200
    assert download.getvalue().startswith(b"%PDF")
    # another province's staff do not even learn it exists
    assert (
        client_for(demo_user("evaluator"))
        .get(f"/assessments/{cycle.pk}/AR-ED/minutes/")
        .status_code
        == 404
    )


def test_staff_extend_to_the_end_of_a_jalali_day_with_a_reason(cycle, demo_user):
    p = participation(cycle, "AR-ED")
    url = f"/assessments/{cycle.pk}/AR-ED/extend/"
    with time_machine.travel(after_step(cycle, 6), tick=False):
        # when: the agency itself tries
        assert client_for(demo_user("agency")).post(url, {"date": "۱۴۰۳/۰۴/۲۰"}).status_code == 403
        # when: staff forget the reason
        missing = client_for(demo_user("staff")).post(url, {"date": "۱۴۰۳/۰۴/۲۰", "reason": ""})
        assert missing.status_code == 400
        p.refresh_from_db()
        assert p.extended_until is None
        # when: staff give a date only
        done = client_for(demo_user("staff")).post(url, {"date": "۱۴۰۳/۰۴/۲۰", "reason": "سیل"})
    # then: open until the end of 1403/04/20 in Tehran, audited
    assert done.status_code == 302
    p.refresh_from_db()
    assert p.extended_until == end_of_day(dt.date(2024, 7, 10))
    assert AuditEvent.objects.filter(action="assessment.extend").count() == 1


def test_an_extension_with_a_time_ends_at_that_time(cycle, demo_user):
    p = participation(cycle, "AR-ED")
    with time_machine.travel(after_step(cycle, 6), tick=False):
        client_for(demo_user("staff")).post(
            f"/assessments/{cycle.pk}/AR-ED/extend/",
            {"date": "۱۴۰۳/۰۴/۲۰", "time": "۱۴:۳۰", "reason": "سیل"},
        )
    p.refresh_from_db()
    assert p.extended_until == dt.datetime(2024, 7, 10, 14, 30, tzinfo=TEHRAN)


def test_the_cycle_list_shows_state_and_progress_and_filters(cycle, demo_user):
    p = participation(cycle, "AR-ED")
    with time_machine.travel(step_day(cycle, 6), tick=False):
        answer(demo_user("agency"), p)
        move(demo_user("agency"), p, "submit")
    expected = workspace(p)
    client = client_for(demo_user("staff"))
    # when
    html = client.get(f"/assessments/{cycle.pk}/").content.decode()
    filtered = client.get(f"/assessments/{cycle.pk}/?state=submitted").content.decode()
    # then: progress agrees with the workspace, and the filter keeps only AR-ED
    assert f"{_fa(expected.answered)} / {_fa(expected.total)}" in html
    assert 'data-agency="AR-TAX"' in html and 'data-agency="AR-TAX"' not in filtered
    assert 'data-agency="AR-ED"' in filtered
    assert ascii_digits_shown(html) == []


@pytest.mark.parametrize(
    ("username", "status"), [("agency", 403), ("deputy", 403), ("assessor", 404)]
)
def test_the_cycle_list_is_for_the_cycles_staff(cycle, demo_user, username, status):
    assert client_for(demo_user(username)).get(f"/assessments/{cycle.pk}/").status_code == status


def test_the_cycle_list_costs_the_same_with_more_answers_and_moves(
    cycle, demo_user, django_assert_max_num_queries
):
    client = client_for(demo_user("staff"))
    url = f"/assessments/{cycle.pk}/"

    def queries() -> int:
        with django_assert_max_num_queries(20) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    # when: answers in every agency and a submission
    with time_machine.travel(step_day(cycle, 6), tick=False):
        for code in ("AR-TAX", "AR-WEL"):
            at_state(participation(cycle, code), S.TRANSFERRED)
        ed = participation(cycle, "AR-ED")
        answer(demo_user("agency"), ed)
        answer(demo_user("agency"), ed, code="3.1.1", data={"fields": {"posts": 120}})
        move(demo_user("agency"), ed, "submit")
        move(demo_user("office"), ed, "office_approve")
    # then
    assert queries() == few


def test_the_project_api_serves_the_cycle_list_and_extensions(cycle, demo_user):
    # The routes that do not share a shape with the workspace's are reachable as mounted.
    client = client_for(demo_user("staff"))
    assert client.get(f"/api/v1/assessments/{cycle.pk}/").status_code == 200
    response = client.post(
        f"/api/v1/assessments/{cycle.pk}/AR-ED/extension",
        {"until": "2099-01-01T00:00:00+03:30", "reason": "آزمون"},
        content_type="application/json",
    )
    assert response.status_code == 200
