"""The jobs pages and API as each person sees them: start, follow, download, refusals."""

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.agencies.models import Agency, Province
from karnameh.common.templatetags.fa import fa
from karnameh.cycles.models import Cycle
from karnameh.jobs.models import Job, Status
from karnameh.jobs.runner import run

from .conftest import client, downloaded, person

RECOMPUTE = "results.recompute"


def started(cycle: Cycle, name: str = "staff", capture: Any = None) -> Job:
    """A recompute started from the form, run by the test backend once the request commits."""
    assert capture is not None
    with capture(execute=True):
        answer = client(name).post("/jobs/start/", {"kind": RECOMPUTE, "cycle": cycle.pk})
    job = Job.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/jobs/{job.pk}/"
    return job


def test_the_form_starts_a_job_whose_page_offers_the_csv(
    cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    # given the staff's job started from another page's form, and run
    job = started(cycle, capture=django_capture_on_commit_callbacks)
    staff = client("staff")
    # when they open its page and follow the download link
    page = staff.get(f"/jobs/{job.pk}/").content.decode()
    download = staff.get(f"/jobs/{job.pk}/download/")
    # then the page shows it done, full, with the file; the file is the agencies' CSV
    assert 'data-status="done"' in page and "hx-trigger" not in page
    assert f'href="/jobs/{job.pk}/download/"' in page and fa(100) in page
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    content = downloaded(download)
    assert "AR-ED" in content and "AR-WEL" in content


def test_a_waiting_job_is_polled_every_two_seconds_and_shows_its_progress(cycle: Cycle) -> None:
    # given a job half-way through, as the worker reported it
    job = Job.objects.create(
        kind=RECOMPUTE,
        cycle=cycle,
        requested_by=person("staff"),
        status=Status.RUNNING,
        done=250,
        total=1000,
    )
    staff = client("staff")
    # when the page is opened, and when htmx asks again
    page = staff.get(f"/jobs/{job.pk}/").content.decode()
    poll = staff.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    # then the page polls, shows the count in Persian digits, and offers no download yet
    assert 'hx-trigger="every 2s"' in page and f'hx-get="/jobs/{job.pk}/"' in page
    assert f"{fa(25)}٪" in page and fa(250) in page and fa(1000) in page
    assert 'data-testid="download"' not in page
    assert poll.lstrip().startswith("<div") and "<html" not in poll
    assert 'data-status="running"' in poll and 'hx-trigger="every 2s"' in poll
    # and once done, the polled block stops polling and offers the file
    Job.objects.filter(pk=job.pk).update(status=Status.QUEUED)
    run(job.pk)
    finished = staff.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in finished and 'data-testid="download"' in finished


def test_a_failed_job_shows_its_message_and_no_download(cycle: Cycle) -> None:
    job = Job.objects.create(
        kind="tests.crash", cycle=cycle, params={"domain": True}, requested_by=person("staff")
    )
    run(job.pk)
    staff = client("staff")
    page = staff.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-testid="job-error"' in page and "داده‌های این دوره ناقص است." in page
    assert 'data-testid="download"' not in page
    assert staff.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert client("staff").get(f"/api/v1/jobs/{job.pk}/download").status_code == 404


def test_another_persons_job_is_not_found(
    cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    # given the staff's finished job
    job = started(cycle, capture=django_capture_on_commit_callbacks)
    # then the deputy (who could start their own) gets 404 for it everywhere
    deputy = client("deputy")
    for path in (
        f"/jobs/{job.pk}/",
        f"/jobs/{job.pk}/download/",
        f"/api/v1/jobs/{job.pk}",
        f"/api/v1/jobs/{job.pk}/download",
    ):
        assert deputy.get(path).status_code == 404, path
    assert f'data-job="{job.pk}"' not in deputy.get("/jobs/").content.decode()
    # and the administrator watches it but may not take its file
    admin = client("admin")
    assert admin.get(f"/jobs/{job.pk}/").status_code == 200
    assert f'data-job="{job.pk}"' in admin.get("/jobs/").content.decode()
    assert admin.get(f"/jobs/{job.pk}/download/").status_code == 404


def test_the_requester_who_lost_the_action_cannot_download(
    cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    # given the staff's finished job; they then move to an agency's role
    job = started(cycle, capture=django_capture_on_commit_callbacks)
    RoleAssignment.objects.filter(user=person("staff"), role=Role.STAFF).update(is_active=False)
    RoleAssignment.objects.create(
        user=person("staff"), role=Role.AGENCY, agency=Agency.objects.get(code="AR-ED")
    )
    # then they still see the job, but its file (scores under the embargo) is not theirs
    c = client("staff")
    assert c.get(f"/jobs/{job.pk}/").status_code == 200
    assert c.get(f"/jobs/{job.pk}/download/").status_code == 404
    assert c.get(f"/api/v1/jobs/{job.pk}").json()["download"] is None


@pytest.mark.parametrize("name", ["agency", "evaluator", "hq"])
def test_a_role_without_the_action_is_refused_on_the_form_and_the_api(
    cycle: Cycle, name: str
) -> None:
    form = client(name).post("/jobs/start/", {"kind": RECOMPUTE, "cycle": cycle.pk})
    api = client(name).post(
        "/api/v1/jobs",
        json.dumps({"kind": RECOMPUTE, "cycle": cycle.pk}),
        content_type="application/json",
    )
    assert form.status_code == 403 and api.status_code == 403
    assert Job.objects.count() == 0


def test_another_provinces_staff_do_not_find_the_cycle(cycle: Cycle) -> None:
    other = User.objects.create_user(username="ilam-staff", password="x")
    RoleAssignment.objects.create(
        user=other, role=Role.STAFF, province=Province.objects.get(code="ilam")
    )
    c = client("ilam-staff")
    assert c.post("/jobs/start/", {"kind": RECOMPUTE, "cycle": cycle.pk}).status_code == 404
    answer = c.post(
        "/api/v1/jobs",
        json.dumps({"kind": RECOMPUTE, "cycle": cycle.pk}),
        content_type="application/json",
    )
    assert answer.status_code == 404 and Job.objects.count() == 0


def test_a_bad_form_goes_back_with_a_message_and_starts_nothing(cycle: Cycle) -> None:
    staff = client("staff")
    unknown = staff.post(
        "/jobs/start/",
        {"kind": "reports.nothing", "cycle": cycle.pk, "next": f"/results/{cycle.pk}/"},
    )
    elsewhere = staff.post(
        "/jobs/start/",
        {"kind": RECOMPUTE, "cycle": cycle.pk, "params": "[1]", "next": "https://evil.example/"},
    )
    assert unknown.status_code == 302 and unknown["Location"] == f"/results/{cycle.pk}/"
    assert elsewhere.status_code == 302 and elsewhere["Location"] == "/jobs/"
    assert Job.objects.count() == 0
    assert 'role="alert"' in staff.get("/jobs/").content.decode()


def test_the_api_starts_follows_and_downloads(
    cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    staff = client("staff")
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff.post(
            "/api/v1/jobs",
            json.dumps({"kind": RECOMPUTE, "cycle": cycle.pk, "params": {}}),
            content_type="application/json",
        )
    # the answer is given before the worker runs it (here: as the test's commit ends)
    assert answer.status_code == 202
    queued = answer.json()
    assert queued["status"] == "queued" and queued["download"] is None
    body = staff.get(f"/api/v1/jobs/{queued['id']}").json()
    assert body["status"] == "done" and body["percent"] == 100 and body["total"] == 4
    assert body["download"] == f"/api/v1/jobs/{body['id']}/download"
    assert body["output_name"].endswith(".csv")
    assert [j["id"] for j in staff.get("/api/v1/jobs").json()] == [body["id"]]
    download = staff.get(body["download"])
    assert download.status_code == 200
    assert "AR-ED" in downloaded(download)


def test_the_api_refuses_an_unknown_kind(cycle: Cycle) -> None:
    answer = client("staff").post(
        "/api/v1/jobs",
        json.dumps({"kind": "reports.nothing", "cycle": cycle.pk}),
        content_type="application/json",
    )
    assert answer.status_code == 400 and answer.json()["code"] == "unknown_kind"
    assert Job.objects.count() == 0


def _queries(cycle: Cycle, jobs: int) -> tuple[int, int]:
    staff = person("staff")
    Job.objects.all().delete()
    made = [
        Job.objects.create(kind=RECOMPUTE, cycle=cycle, requested_by=staff, params={"n": n})
        for n in range(jobs)
    ]
    c = client("staff")
    c.get("/jobs/")
    with CaptureQueriesContext(connection) as listing:
        assert c.get("/jobs/").status_code == 200
    with CaptureQueriesContext(connection) as detail:
        assert c.get(f"/jobs/{made[-1].pk}/").status_code == 200
    return len(listing), len(detail)


def test_the_pages_cost_the_same_for_few_or_many_jobs(cycle: Cycle) -> None:
    few = _queries(cycle, 2)
    many = _queries(cycle, 12)
    assert few == many
    assert many[0] <= 12 and many[1] <= 12
