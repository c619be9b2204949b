"""What each request of the deadline peak (reliability/locustfile.py) costs in queries.

These are the requests the load run sends thousands of; each read and write is counted, so a
query added to them (a lazy load, a check made twice) is seen here, not first under load. The
signed-in basics come first on every request: the session, then the user read with its roles.
"""

import json
import uuid
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from karnameh.assessments.models import Answer, Evidence
from karnameh.cycles.tests.builders import open_cycle, step_day
from karnameh.files.tests.corpus import pdf

GAUGE = ("general", "6.4.1")
DATA = {"fields": {"received": 200, "handled": 119}}
# The audit chain's writers take turns through an advisory lock, on PostgreSQL only.
CHAIN_LOCK = 1 if connection.vendor == "postgresql" else 0
# Inside the test's own transaction, a write's outermost block is a savepoint too.
TEST_SAVEPOINT = 2


@pytest.fixture
def cycle(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return open_cycle()


@pytest.fixture
def agency(cycle, demo_user):
    with time_machine.travel(step_day(cycle, 6), tick=False):
        client = Client()
        client.force_login(demo_user("agency"))
        # The session is touched once a minute: the first request does it, the counted don't.
        assert client.get(f"/assessments/{cycle.pk}/AR-ED/").status_code == 200
        yield client


def _urls(cycle) -> dict[str, str]:
    part, code = GAUGE
    return {
        "workspace": f"/assessments/{cycle.pk}/AR-ED/",
        "gauge": f"/assessments/{cycle.pk}/AR-ED/{part}/{code}/",
        "api": f"/api/v1/assessments/{cycle.pk}/AR-ED/",
        "api gauge": f"/api/v1/assessments/{cycle.pk}/AR-ED/{part}/{code}",
    }


# The basics (2), the participation (1), then: the deputy's approval and the steps (the entry
# lock), answers, files, MoU targets, last year's participation (the catalogue asks for last
# year's figures), unread notifications (pages).
READS = [
    ("workspace", 10),
    ("gauge", 9),
    ("api", 9),
    ("api gauge", 8),
]


@pytest.mark.parametrize(("name", "expected"), READS)
def test_each_read_costs_a_fixed_number_of_queries(
    cycle, agency, name, expected, django_assert_num_queries
):
    url = _urls(cycle)[name]
    with django_assert_num_queries(expected):
        response = agency.get(url)
    assert response.status_code == 200


def _put(agency: Client, url: str) -> Any:
    """A new answer (version 0) with a fresh idempotency key."""
    body = json.dumps({"data": DATA, "comment": "", "version": 0})
    return agency.put(
        url, body, content_type="application/json", headers={"Idempotency-Key": uuid.uuid4().hex}
    )


def test_a_save_through_the_api_costs_a_fixed_number_of_queries(
    cycle, agency, django_assert_num_queries
):
    # given: one save made already (a server process's first save reads the audit's content
    # types once, and keeps them; the first answer turns the assessment into a draft)
    url = _urls(cycle)["api gauge"]
    assert _put(agency, url.replace("6.4.1", "6.4.2")).status_code == 200
    # when: the basics (2) and the participation (1); then the participation locked with the
    # deputy's approval (1), the steps (1), the answer locked (1), its insert (1), the chain's
    # last event (1), the event (1), and the key with its answer (1). No savepoint of its own,
    # and no MoU targets read: 6.4.1's target is the catalogue's.
    with django_assert_num_queries(10 + CHAIN_LOCK + TEST_SAVEPOINT):
        response = _put(agency, url)
    # then
    assert response.status_code == 200, response.content
    assert Answer.objects.get(part=GAUGE[0], gauge_code=GAUGE[1]).data == DATA


def _upload(agency: Client, url: str) -> Any:
    return agency.post(url, {"files": SimpleUploadedFile("a.pdf", pdf(), "application/pdf")})


def test_an_upload_through_the_api_costs_a_fixed_number_of_queries(
    cycle, agency, django_assert_num_queries
):
    # given: one upload made already (the audit's content types, as above)
    url = _urls(cycle)["api gauge"] + "/evidence"
    assert _upload(agency, url.replace("6.4.1", "6.4.2")).status_code == 201
    # when: the basics (2) and the participation (1); the participation locked with the
    # deputy's approval (1), the steps (1), the gauge's files counted (1), the stored file (1),
    # the evidence (1), the chain's last event (1) and the event (1)
    with django_assert_num_queries(10 + CHAIN_LOCK + TEST_SAVEPOINT):
        response = _upload(agency, url)
    # then
    assert response.status_code == 201, response.content
    assert Evidence.objects.filter(gauge_code=GAUGE[1]).count() == 1
