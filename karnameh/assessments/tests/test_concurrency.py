"""Editors and retries at the same moment, on PostgreSQL, through the API, with real threads.

Each thread is its own browser-like client with its own database connection, so only the
services' row locks keep the requests apart. SQLite lets one writer in at a time and would
prove nothing here. The long runs (a thousand submissions against the deadline, killed
workers) are in ``reliability/`` (``make reliability``).
"""

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
import time_machine
from django.db import connection, connections

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.accounts.tests.clients import signed_in
from karnameh.agencies.models import Agency
from karnameh.assessments.models import Answer, RequestKey
from karnameh.audit.models import AuditEvent
from karnameh.common.text import persian_digits
from karnameh.cycles.models import AssessmentState
from karnameh.cycles.tests.builders import open_cycle, participation, step_day

from .test_workflow_api import act
from .test_workspace_api import put

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need PostgreSQL (SQLite lets one writer in at a time)",
)


@pytest.fixture
def cycle(transactional_db, demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    found = open_cycle()
    with time_machine.travel(step_day(found, 6), tick=True):
        yield found


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Each call in its own thread, all let go together; their results (or errors) in order."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            start.wait(timeout=30)
            results[index] = call()
        except Exception as error:  # the test reads it as a failed result
            results[index] = error
        finally:
            # The thread's own connection, or the database cannot be emptied after the test.
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def editor(username: str) -> User:
    """Another agency user of AR-ED (the demo has two editors; this test needs four)."""
    user = User.objects.create(username=username, first_name="ویراستار", last_name=username)
    RoleAssignment.objects.create(
        user=user, role=Role.AGENCY, agency=Agency.objects.get(code="AR-ED")
    )
    return user


def figures(handled: int) -> dict[str, Any]:
    return {"data": {"fields": {"received": 200, "handled": handled}}, "comment": "", "version": 0}


def test_four_editors_saving_one_gauge_at_once_one_wins_and_three_get_a_conflict(cycle):
    # given: four editors of the agency opened the same unanswered gauge (version 0)
    names = ["agency", "office", editor("editor3").username, editor("editor4").username]
    clients = [signed_in(name) for name in names]
    mine = [figures(101 + n) for n in range(4)]
    # when: all four press «save» at the same moment
    replies = at_once(
        *(partial(put, c, cycle, body) for c, body in zip(clients, mine, strict=True))
    )
    # then: one save went in; the other three were told someone saved first, with both answers
    assert sorted(r.status_code for r in replies) == [200, 409, 409, 409]
    won = next(n for n, r in enumerate(replies) if r.status_code == 200)
    answer = Answer.objects.get(participation__cycle=cycle, gauge_code="6.4.1")
    assert answer.data == mine[won]["data"] and answer.version == 1
    assert answer.updated_by.username == names[won]
    for n, reply in enumerate(replies):
        if n != won:
            body = reply.json()
            assert body["code"] == "conflict"
            assert body["theirs"]["data"] == mine[won]["data"]
            assert body["mine"]["data"] == mine[n]["data"]
    assert AuditEvent.objects.filter(action="answer.save").count() == 1


def test_a_save_retried_at_once_and_later_with_its_key_is_applied_once(cycle):
    # given: a browser whose save timed out sends it again, twice at once, with the same key
    clients = [signed_in("agency") for _ in range(3)]
    send = [partial(put, c, cycle, figures(119), key="retry-7") for c in clients]
    # when: the three copies arrive together, and one more a moment later
    replies = [*at_once(*send), send[0]()]
    # then: every copy got the one save's answer back; it was applied once
    assert [r.status_code for r in replies] == [200, 200, 200, 200]
    bodies = [r.json() for r in replies]
    assert {(b["answer"], b["version"], b["score"]) for b in bodies} == {
        (bodies[0]["answer"], 1, "3.50")
    }
    assert sorted(b["replayed"] for b in bodies) == [False, True, True, True]
    answer = Answer.objects.get(participation__cycle=cycle, gauge_code="6.4.1")
    assert answer.version == 1 and answer.data == figures(119)["data"]
    assert AuditEvent.objects.filter(action="answer.save").count() == 1
    assert RequestKey.objects.filter(key="retry-7").count() == 1


def test_a_submission_retried_at_once_gets_one_receipt_that_is_stored_and_shown(cycle):
    # given: the agency user's «submit» is sent twice at once with one key, then once more
    clients = [signed_in("agency") for _ in range(2)]
    send = [
        partial(act, c, cycle, "submit", {"version": 0}, HTTP_IDEMPOTENCY_KEY="submit-1")
        for c in clients
    ]
    # when
    replies = [*at_once(*send), send[0]()]
    # then: one submission, one receipt, given back to every copy
    assert [r.status_code for r in replies] == [200, 200, 200]
    receipts = {r.json()["receipt"] for r in replies}
    assert len(receipts) == 1 and "" not in receipts
    (receipt,) = receipts
    p = participation(cycle, "AR-ED")
    assert p.state == AssessmentState.SUBMITTED and p.version == 1 and p.receipt == receipt
    events = AuditEvent.objects.filter(action="assessment.submit")
    assert [e.changes["receipt"] for e in events] == [[None, receipt]]
    # and: the receipt page and the staff's list show the stored number
    page = clients[0].get(f"/assessments/{cycle.pk}/AR-ED/receipt/")
    assert page.status_code == 200
    assert persian_digits(receipt) in page.content.decode()
    listed = signed_in("staff").get(f"/api/v1/assessments/{cycle.pk}/").json()
    assert next(row for row in listed if row["agency"] == "AR-ED")["receipt"] == receipt
