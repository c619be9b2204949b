"""Crash safety: gunicorn workers killed with SIGKILL in the middle of saves and submissions.

Two runs against a live gunicorn (production settings, sync workers):

- **Pinned.** The test holds the audit chain's lock, so a save or a submission stops inside its
  transaction after it wrote its row (the new answer version, or the receipt) and before its
  audit event. The worker is killed there. Nothing of it may remain; the client's retry with
  the same Idempotency-Key then applies it, once.
- **At random.** Client threads save answers and submit, while another thread kills a random
  worker after every few dozen answers (the master starts a new one). A client whose connection dies
  retries with the same key, as a browser would, until it gets an answer. Afterwards every
  acknowledged write is there, applied once, and nothing is half written.
"""

# Random moments and choices for a test, not secrets.
# ruff: noqa: S311

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from django.db import connection, transaction

from karnameh.assessments.models import Answer, RequestKey
from karnameh.audit.models import AuditEvent

# The lock writers of the audit chain take in turn: holding it stops a change before its event.
from karnameh.audit.services import _CHAIN_LOCK, verify_chain
from karnameh.cycles.models import AssessmentState, Participation

from .live import Gunicorn, Member, Reply, call, crowd, open_now

GAUGE = "6.4.1"
AGENCIES = 120
SAVES = 3  # answer versions per agency before it submits
THREADS = 8
WORKERS = 3
# A kill after every 25 to 60 answers: a rate set by the traffic, not the clock, so that
# replacing workers (a Django start each) never stalls the run on a busy machine.
KILL_EVERY = (25, 60)


@dataclass(frozen=True)
class Request:
    member: Member
    method: str
    path: str
    body: dict
    key: str | None


def save(cycle: int, member: Member, n: int) -> Request:
    """The ``n``-th version of the agency's answer to one gauge, from version ``n - 1``."""
    body = {
        "data": {"fields": {"received": 200, "handled": 100 + n}},
        "comment": "",
        "version": n - 1,
    }
    path = f"/api/v1/assessments/{cycle}/{member.agency}/general/{GAUGE}"
    return Request(member, "PUT", path, body, f"{member.agency}-save-{n}")


def submit(cycle: int, member: Member) -> Request:
    path = f"/api/v1/assessments/{cycle}/{member.agency}/transitions/submit"
    return Request(member, "POST", path, {"version": 0}, f"{member.agency}-submit")


def send(server: Gunicorn, request: Request) -> Reply:
    m = request.member
    return call(
        server.url, request.method, request.path, token=m.token, body=request.body, key=request.key
    )


@dataclass
class Delivery:
    request: Request
    reply: Reply | None
    # Connections that died before an answer came: each was sent again with the same key.
    cut: int


def deliver(server: Gunicorn, request: Request, rng: random.Random) -> Delivery:
    """Send until an HTTP answer comes back, as a browser retrying with its key would."""
    for cut in range(40):
        try:
            return Delivery(request, send(server, request), cut)
        except OSError:
            time.sleep(rng.uniform(0.05, 0.3))
    return Delivery(request, None, 40)


def waiting_on_the_chain() -> list[int]:
    """The database sessions (their process ids) waiting for the audit chain's lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = %s",
            [_CHAIN_LOCK],
        )
        return [row[0] for row in cursor.fetchall()]


def session_gone(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] == 0


def wait_for(condition: Callable[[], bool], *, within: float = 60) -> None:
    until = time.monotonic() + within
    while not condition():
        assert time.monotonic() < until, "timed out"
        time.sleep(0.05)


@pytest.mark.parametrize("keyed", [True, False], ids=["with a key", "without a key"])
@pytest.mark.parametrize("action", ["save", "submit"])
def test_a_worker_killed_inside_the_transaction_leaves_nothing_half_written(
    gunicorn, demo, figures, action, keyed
):
    # given: one agency, one worker, and the audit chain held by the test. Without a key the
    # service's own transaction is on trial; with one, also the key's (it wraps the service).
    cycle = open_now()
    (member,) = crowd(cycle, 1)
    server = gunicorn(workers=1)
    server.wait_ready(member.token)
    request = save(cycle.pk, member, 1) if action == "save" else submit(cycle.pk, member)
    request = request if keyed else replace(request, key=None)
    cut: list[OSError] = []

    def client() -> None:
        try:
            send(server, request)
        except OSError as error:
            cut.append(error)

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        sender = threading.Thread(target=client)
        sender.start()
        # when: the request wrote its row and waits for the chain; its worker is killed there
        wait_for(lambda: len(waiting_on_the_chain()) == 1)
        (session,) = waiting_on_the_chain()
        killed = server.kill_worker(random.Random())
        sender.join(timeout=30)
    # then: the client lost its connection; once the database ended the worker's session,
    # none of the change is there
    assert killed is not None and len(cut) == 1
    wait_for(lambda: session_gone(session))
    p = Participation.objects.get(pk=member.participation)
    assert (p.state, p.version, p.receipt, p.submitted_at) == (
        AssessmentState.NOT_STARTED,
        0,
        "",
        None,
    )
    assert not Answer.objects.filter(participation=p).exists()
    assert not AuditEvent.objects.filter(action__in=["answer.save", "assessment.submit"]).exists()
    assert not RequestKey.objects.exists()
    # and: the retry (with the same key, if any), to the worker started in its place, applies
    # it once
    server.wait_ready(member.token)
    again = send(server, request)
    assert again.status == 200 and not again.body.get("replayed")
    p.refresh_from_db()
    if action == "submit":
        assert p.state == AssessmentState.SUBMITTED and p.receipt == again.body["receipt"]
    else:
        assert Answer.objects.get(participation=p, gauge_code=GAUGE).version == 1
    assert AuditEvent.objects.filter(action__in=["answer.save", "assessment.submit"]).count() == 1
    assert verify_chain() is None
    figures(
        f"crash, pinned: a {action} ({'with' if keyed else 'without'} a key) killed between its "
        "row and its audit event left nothing; its retry applied it once"
    )


def test_workers_killed_at_random_lose_no_acknowledged_write(gunicorn, demo, figures):
    # given: 120 agencies, each to save three versions of an answer and then submit
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    cycle = open_now()
    members = crowd(cycle, AGENCIES)
    server = gunicorn(workers=WORKERS)
    server.wait_ready(members[0].token)
    plans = [
        [*(save(cycle.pk, m, n) for n in range(1, SAVES + 1)), submit(cycle.pk, m)] for m in members
    ]
    done: list[Delivery] = []
    kills: list[int] = []
    traffic_over = threading.Event()

    def agency_clients(share: list[list[Request]], thread_rng: random.Random) -> None:
        for plan in share:
            for request in plan:
                delivery = deliver(server, request, thread_rng)
                done.append(delivery)
                if delivery.reply is None or delivery.reply.status != 200:
                    break  # the next step of this agency would only be refused

    def killer() -> None:
        due = rng.randint(*KILL_EVERY)
        while not traffic_over.wait(0.02):
            if len(done) >= due:
                due = len(done) + rng.randint(*KILL_EVERY)
                pid = server.kill_worker(rng)
                if pid is not None:
                    kills.append(pid)

    # when: 8 threads send it all while workers are killed at random moments
    started = time.monotonic()
    clients = [
        threading.Thread(
            target=agency_clients, args=(plans[n::THREADS], random.Random(rng.random()))
        )
        for n in range(THREADS)
    ]
    chaos = threading.Thread(target=killer)
    for thread in [*clients, chaos]:
        thread.start()
    for thread in clients:
        thread.join(timeout=900)
    traffic_over.set()
    chaos.join(timeout=10)
    elapsed = time.monotonic() - started

    # then: every request was answered in the end, with 200 (no server error, no refusal)
    assert len(kills) >= 5, f"only {len(kills)} kills (seed {seed})"
    statuses = [d.reply.status if d.reply else None for d in done]
    assert len(done) == AGENCIES * (SAVES + 1) and set(statuses) == {200}, f"seed {seed}"
    replies = {d.request.key: d.reply for d in done if d.reply is not None}
    cut = [d.request.key for d in done if d.cut]
    assert cut, f"no kill landed on a request in flight (seed {seed})"
    # and: every acknowledged write is there, applied once, in the order it was sent
    participations = Participation.objects.in_bulk([m.participation for m in members])
    answers = {a.participation_id: a for a in Answer.objects.filter(participation__cycle=cycle)}
    saved = AuditEvent.objects.filter(action="answer.save").order_by("id")
    history: dict[str, list] = {}
    for event in saved:
        history.setdefault(event.target_id, []).append(event.changes["data"][1])
    for m in members:
        answer, p = answers[m.participation], participations[m.participation]
        assert answer.version == SAVES and answer.data == save(cycle.pk, m, SAVES).body["data"]
        assert history[str(answer.pk)] == [
            save(cycle.pk, m, n).body["data"] for n in range(1, SAVES + 1)
        ]
        receipt = replies[submit(cycle.pk, m).key].body["receipt"]
        assert p.state == AssessmentState.SUBMITTED and p.receipt == receipt
    # and: nothing half written: each version its event, each submission its receipt and event,
    # each key its answer
    assert sum(len(h) for h in history.values()) == sum(a.version for a in answers.values())
    submitted = AuditEvent.objects.filter(action="assessment.submit")
    assert sorted(e.changes["receipt"][1] for e in submitted) == sorted(
        p.receipt for p in participations.values()
    )
    keys = RequestKey.objects.filter(user__username__startswith="rl-")
    assert keys.count() == len(done) and not keys.filter(response={}).exists()
    assert verify_chain() is None
    # and: the master replaced every killed worker
    server.wait_ready(members[0].token)
    committed = sum(1 for key in cut if replies[key].body.get("replayed"))
    figures(
        f"crash, at random: {len(done)} requests ({AGENCIES} agencies x {SAVES} saves + a "
        f"submission), {THREADS} threads, {WORKERS} sync workers, {len(kills)} workers killed, "
        f"{len(cut)} requests cut ({committed} had committed: the retry got the stored answer; "
        f"{len(cut) - committed} had not: the retry applied them), 0 lost, 0 half written; "
        f"{elapsed:.1f} s; seed {seed}"
    )
