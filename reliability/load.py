"""The deadline-peak load run (issue 7): locust against gunicorn and PostgreSQL on this machine.

    .venv/bin/python reliability/load.py            # 10 minutes; LOAD_SECONDS=120 for a short run

1. A fresh PostgreSQL database: ``karnameh_load_<pid>`` on the server of ``DATABASE_URL`` when
   that is PostgreSQL (the database it names is left alone), else on 127.0.0.1:5432 as
   ``postgres``. It is dropped at the end, also after a failure or Ctrl-C.
2. Migrations, the demo, and the deadline peak (``deadline_peak``): ``LOAD_PARTICIPATIONS``
   more Ardabil units in the demo's 1403 cycle, each half-way through its self-assessment,
   with the step closing at the end of the day after tomorrow, and ``LOAD_USERS`` agency
   users spread over them (the first units get a second user, so edits can collide).
3. gunicorn on a free loopback port with the production settings (DEBUG off, WhiteNoise),
   started as the other reliability runs start it (``reliability/live.py``).
4. locust, headless (reliability/locustfile.py has the scenario): the ramp, ``LOAD_USERS``
   started ``LOAD_SPAWN_RATE`` a second, each signing in; then the peak itself, every user
   working, for ``LOAD_SECONDS`` from when the last user has signed in (the locustfile starts
   its statistics again then), or ``LOAD_SETTLE`` seconds after that (default 0): the requests
   queued behind the sign-ins are answered in the ramp's figures, not the peak's.
5. A plain summary from locust's CSV, a JSON report (``LOAD_REPORT``, or
   ``var/reliability/load-<time>.json``), and exit status 1 unless, over the peak, the rate
   is at least ``MIN_RPS`` and the 95th percentile at most ``MAX_P95_MS``, and nothing
   failed or answered 5xx in the ramp or the peak. The ramp's figures are reported, not
   held to the peak's targets: it is a crowd signing in at once (an Argon2 hash each, on
   workers that have served nothing yet), which the peak's users did before it.

Other settings: ``LOAD_SPAWN_RATE`` (users started per second), ``LOAD_WORKERS`` (gunicorn
workers), ``LOAD_KEEP=1`` (keep the database and the working directory to look at).
"""

import csv
import datetime as dt
import io
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MIN_RPS = float(os.environ.get("LOAD_MIN_RPS") or 60)
MAX_P95_MS = float(os.environ.get("LOAD_MAX_P95_MS") or 500)
# The locustfile's user class: the deadline peak's mix, or bench/crunch.py's saves alone.
USER_CLASS = os.environ.get("LOAD_CLASS") or "AgencyUser"


def _number(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


SECONDS = _number("LOAD_SECONDS", 600)
USERS = _number("LOAD_USERS", 160)
PARTICIPATIONS = _number("LOAD_PARTICIPATIONS", 150)
SPAWN_RATE = _number("LOAD_SPAWN_RATE", 4)
SETTLE_SECONDS = _number("LOAD_SETTLE", 0)
RAMP_SECONDS = -(-USERS // SPAWN_RATE) + SETTLE_SECONDS
# How long the last users' sign-ins may lag behind their start before the run gives up.
SIGN_IN_SLACK = 120
# Sync workers, one request each at a time (threads would share one interpreter lock, and the
# pages are CPU-bound Python). One more than the cores: a request waiting on PostgreSQL leaves
# its core to another. Not gunicorn's 2 × cores + 1: here locust and PostgreSQL share the two
# cores too, and five workers time-sliced on them cost 18.6 ms of CPU a request against
# 15.1 ms with three, at a 95th percentile of 400 ms against 99 (docs/reliability.md).
WORKERS = _number("LOAD_WORKERS", (os.cpu_count() or 1) + 1)
KEEP = os.environ.get("LOAD_KEEP", "") not in ("", "0")


class Stop(Exception):
    """A signal arrived: stop, and clean up on the way out."""


def _stop(signum: int, _frame: Any) -> None:
    raise Stop(signal.Signals(signum).name)


# --- the database ----------------------------------------------------------------------------


def _server_url() -> str:
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        return given
    return "postgres://postgres@127.0.0.1:5432/postgres"


def _with_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_with_name(url, "postgres"), autocommit=True) as connection:
        connection.execute(sql)


@contextmanager
def database() -> Iterator[str]:
    name = f"karnameh_load_{os.getpid()}"
    server = _server_url()
    _admin(server, f'DROP DATABASE IF EXISTS "{name}"')
    _admin(server, f'CREATE DATABASE "{name}"')
    try:
        yield _with_name(server, name)
    finally:
        if KEEP:
            print(f"kept the database {name}")
        else:
            # FORCE: a connection left open by a killed worker must not keep it alive.
            _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the data --------------------------------------------------------------------------------


def seed(url: str, workdir: Path) -> dict[str, Any]:
    """Migrate, load the demo and the deadline peak, collect static files; the locust plan."""
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        # The demo refuses to load with DEBUG off (its passwords are all «demo»).
        DEBUG="true",
        KARNAMEH_VAR_DIR=str(workdir / "var"),
        # Where reliability/live.py's server keeps its files too.
        MEDIA_ROOT=str(workdir / "media"),
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    call_command("demo", stdout=io.StringIO())
    plan = deadline_peak(PARTICIPATIONS, USERS)
    # The same hashed names and manifest as production, without the gzip and brotli copies
    # (they take over a minute here): WhiteNoise serves the files, just uncompressed.
    manifest_only = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": manifest_only}):
        call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()
    return plan


def deadline_peak(participations: int, users: int) -> dict[str, Any]:
    """The demo's 1403 cycle two days before the self-assessment closes, with
    ``participations`` more units half-way through it and ``users`` agency users on them
    (``users`` beyond ``participations`` are second users of the first units).

    Every unit's answers are made as the demo makes them (``assessments.demo.answer``), then
    half are taken away again: the plan keeps them all, so a locust user can save a gauge that
    has an answer (version 1) or fill in one that has none (version 0) with valid data.
    """
    import random

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from karnameh.accounts.models import Role, RoleAssignment, User
    from karnameh.assessments.demo import YEAR, agree, answer
    from karnameh.assessments.models import Answer
    from karnameh.cycles.deadlines import TEHRAN
    from karnameh.cycles.models import AssessmentState, Cycle, Participation, Step
    from karnameh.cycles.steps import SELF_ASSESSMENT, STEP_BY_NUMBER, STEPS, planned_dates
    from reliability.live import crowd, tokens_for

    cycle = Cycle.objects.get(year=YEAR, level="provincial", province__code="ardabil")
    today = timezone.now().astimezone(TEHRAN).date()
    before = sum(step.days for step in STEPS if step.number < SELF_ASSESSMENT)
    into = STEP_BY_NUMBER[SELF_ASSESSMENT].days - 3  # days of the step already gone
    for number, first, last in planned_dates(today - dt.timedelta(days=before + into)):
        Step.objects.filter(cycle=cycle, number=number).update(
            planned_start=first, planned_end=last
        )

    members = crowd(cycle, participations, prefix="LD")
    places = list(
        Participation.objects.filter(pk__in=[m.participation for m in members])
        .select_related("cycle", "agency__agency_type")
        .order_by("agency__code")
    )
    Participation.objects.filter(pk__in=[p.pk for p in places]).update(state=AssessmentState.DRAFT)
    demo_users = {u.username: u for u in User.objects.filter(username__in=["staff", "office"])}
    rng = random.Random(YEAR)  # noqa: S311 (which gauges stay unanswered, not a secret)
    gauges: dict[str, list[dict[str, Any]]] = {}
    for place in places:
        agree(place, demo_users)
        answer(place, full=True)
        rows = list(Answer.objects.filter(participation=place).order_by("part", "gauge_code"))
        taken = {row.pk for row in rows if rng.random() < 0.5}
        Answer.objects.filter(pk__in=taken).delete()
        gauges[place.agency.code] = [
            {
                "part": row.part,
                "code": row.gauge_code,
                "data": row.data,
                "version": 0 if row.pk in taken else row.version,
            }
            for row in rows
        ]

    crowd_users = list(User.objects.filter(username__startswith="ld-").order_by("username"))
    seconds = User.objects.bulk_create(
        User(username=f"ld-{n:04d}b", first_name="همکار", last_name=places[n - 1].agency.name)
        for n in range(1, users - len(places) + 1)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=Role.AGENCY, agency=place.agency)
        for user, place in zip(seconds, places, strict=False)
    )
    # crowd() makes token-only users; these sign in through the login page. One slow hash for
    # all of them (a hash each would take a minute): the sign-ins still check it the slow way.
    User.objects.filter(username__startswith="ld-").update(password=make_password("demo"))
    accounts = [(u, p) for u, p in zip(crowd_users, places, strict=True)]
    accounts += [(u, p) for u, p in zip(seconds, places, strict=False)]
    return {
        "password": "demo",
        "probe_token": tokens_for([accounts[0][0]])[0],
        "users": [
            {
                "username": user.username,
                "cycle": cycle.pk,
                "agency": place.agency.code,
                "gauges": gauges[place.agency.code],
            }
            for user, place in accounts[:users]
        ],
    }


# --- the server and the load -----------------------------------------------------------------


def _end(process: subprocess.Popen[bytes], first: signal.Signals, grace: float) -> None:
    """Ask a child to stop, then make it: its whole process group (gunicorn's workers too)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, first)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def run_locust(address: str, workdir: Path, at_peak: Callable[[], None]) -> int:
    """Runs locust through the ramp and ``SECONDS`` of peak; ``at_peak`` is called once every
    user has signed in."""
    ramp = workdir / "ramp.json"
    env = {
        **os.environ,
        "LOAD_PLAN": str(workdir / "plan.json"),
        "LOAD_COUNTS": str(workdir / "statuses.json"),
        "LOAD_RAMP": str(ramp),
    }
    command = [
        str(BIN / "locust"),
        f"--locustfile={ROOT / 'reliability' / 'locustfile.py'}",
        "--headless",
        f"--users={USERS}",
        f"--spawn-rate={SPAWN_RATE}",
        # An upper bound: the peak is ended here, its own seconds after the last user signed
        # in (the locustfile starts its statistics again then).
        f"--run-time={RAMP_SECONDS + SECONDS + SIGN_IN_SLACK}s",
        f"--host={address}",
        f"--csv={workdir / 'locust'}",
        "--only-summary",
        "--stop-timeout=10",
        "--exit-code-on-error=0",
        USER_CLASS,
    ]
    print(" ".join(command[1:]).replace(str(ROOT) + "/", ""), flush=True)
    with (workdir / "locust.log").open("w") as log:
        runner = subprocess.Popen(  # noqa: S603 (our own command line)
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            until = time.monotonic() + RAMP_SECONDS + SIGN_IN_SLACK
            while not ramp.exists() and runner.poll() is None and time.monotonic() < until:
                time.sleep(0.2)
            if not ramp.exists():
                return runner.wait(timeout=SECONDS + 300)
            at_peak()
            try:
                return runner.wait(timeout=SECONDS)
            except subprocess.TimeoutExpired:
                # The peak's seconds are over: SIGINT makes locust stop and write its figures.
                runner.send_signal(signal.SIGINT)
                return runner.wait(timeout=60)
        finally:
            # SIGINT: locust stops its users and still writes its CSV files.
            _end(runner, signal.SIGINT, 20)


# --- the figures -----------------------------------------------------------------------------


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def figures(workdir: Path) -> dict[str, Any]:
    """Locust's totals per request and overall over the peak, the status codes the users saw
    there, what the ramp saw before it, and the server's own count of errors over both (a
    500 logged, a worker killed for taking too long)."""
    rows = []
    with (workdir / "locust_stats.csv").open(newline="") as stats:
        for row in csv.DictReader(stats):
            rows.append(
                {
                    "name": row["Name"] if row["Type"] else "total",
                    "method": row["Type"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": float(row["Requests/s"]),
                    "p50_ms": _ms(row["50%"]),
                    "p95_ms": _ms(row["95%"]),
                    "p99_ms": _ms(row["99%"]),
                    "max_ms": _ms(row["Max Response Time"]),
                }
            )
    counts = workdir / "statuses.json"
    statuses: dict[str, int] = json.loads(counts.read_text()) if counts.exists() else {}
    ramp_file = workdir / "ramp.json"
    ramp: dict[str, Any] = json.loads(ramp_file.read_text()) if ramp_file.exists() else {}
    every_status = [statuses, ramp.get("statuses", {})]
    server_log = (workdir / "gunicorn.log").read_text(errors="replace")
    failures = []
    with (workdir / "locust_failures.csv").open(newline="") as found:
        failures = [
            {
                "request": f"{r['Method']} {r['Name']}",
                "error": r["Error"],
                "times": int(r["Occurrences"]),
            }
            for r in csv.DictReader(found)
        ]
    return {
        "requests": rows,
        "total": rows[-1],
        "statuses": statuses,
        "server_errors": sum(
            n for counted in every_status for code, n in counted.items() if code.startswith("5")
        ),
        "ramp": ramp,
        "server_log": {
            "internal_errors": server_log.count("Internal Server Error"),
            "worker_timeouts": server_log.count("WORKER TIMEOUT"),
        },
        "failures": failures,
    }


def verdict(found: dict[str, Any]) -> list[str]:
    """What missed the target; empty when the run passed."""
    total = found["total"]
    missed = []
    ramp = found["ramp"]
    if not ramp:
        missed.append("the ramp's figures are missing (did every user start?)")
    elif ramp["requests"][-1]["failures"]:
        missed.append(f"{ramp['requests'][-1]['failures']} failed requests in the ramp")
    if total["rps"] < MIN_RPS:
        missed.append(f"rate {total['rps']:.1f} req/s, below {MIN_RPS:.0f}")
    if total["p95_ms"] is None or total["p95_ms"] > MAX_P95_MS:
        missed.append(f"95th percentile {total['p95_ms']} ms, above {MAX_P95_MS:.0f}")
    if total["failures"]:
        missed.append(f"{total['failures']} failed requests")
    if found["server_errors"]:
        missed.append(f"{found['server_errors']} answers with a 5xx status")
    log = found["server_log"]
    if log["internal_errors"] or log["worker_timeouts"]:
        missed.append(
            f"server log: {log['internal_errors']} internal errors, "
            f"{log['worker_timeouts']} worker timeouts"
        )
    return missed


def _table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        f"{'request':<28} {'count':>7} {'fail':>5} {'req/s':>7} "
        f"{'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}"
    ]
    for row in rows:
        name = row["name"] if row["name"] == "total" else f"{row['method']} {row['name']}"
        cells = [row[k] for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms")]
        p50, p95, p99, top = (f"{c:.0f}" if c is not None else "-" for c in cells)
        lines.append(
            f"{name:<28} {row['requests']:>7} {row['failures']:>5} {row['rps']:>7.1f} "
            f"{p50:>6} {p95:>6} {p99:>6} {top:>7}"
        )
    return lines


def _codes(statuses: dict[str, int]) -> str:
    return ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items())) or "none recorded"


def _settled(settings: dict[str, Any]) -> str:
    settle = settings.get("settle_seconds")
    return f", and {settle} s after the last sign-in" if settle else ""


def summary(found: dict[str, Any], settings: dict[str, Any]) -> str:
    ramp = found["ramp"]
    lines = [
        f"{settings['scenario']}: {settings['users']} users for {settings['seconds']} s against "
        f"{settings['workers']} gunicorn sync workers, PostgreSQL, "
        f"{settings['participations']} extra participations",
        *_table(found["requests"]),
        f"(times in ms) statuses: {_codes(found['statuses'])}",
    ]
    if ramp:
        lines += [
            f"The ramp before it: {ramp['users']} users started {settings['spawn_rate']} a "
            f"second, each signing in{_settled(settings)} (reported, not held to the targets)",
            *_table(ramp["requests"]),
            f"(times in ms) statuses: {_codes(ramp['statuses'])}",
        ]
    lines.append(
        f"5xx answers: {found['server_errors']}; server log: "
        f"{found['server_log']['internal_errors']} internal errors, "
        f"{found['server_log']['worker_timeouts']} worker timeouts"
    )
    cpu = found.get("cpu_s")
    if cpu:
        per = 1000 * cpu["gunicorn"] / max(found["total"]["requests"], 1)
        lines.append(
            f"CPU over the peak: gunicorn {cpu['gunicorn']:.0f} s ({per:.1f} ms a request) of "
            f"the {settings['seconds'] * settings['cores']} s the {settings['cores']} cores had; "
            f"the ramp {cpu['gunicorn_ramp']:.0f} s; locust {cpu['locust']:.0f} s in all"
        )
    for failure in found["failures"][:10]:
        lines.append(f"failed {failure['times']}x {failure['request']}: {failure['error'][:200]}")
    return "\n".join(lines)


def _children_cpu() -> float:
    """CPU seconds (user and system) of every child process reaped so far."""
    spent = resource.getrusage(resource.RUSAGE_CHILDREN)
    return spent.ru_utime + spent.ru_stime


def _workers_cpu(pids: list[int]) -> float:
    """CPU seconds the running gunicorn workers have used (Linux: /proc/<pid>/stat)."""
    ticks = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        # "pid (name) state …": utime and stime are the 12th and 13th fields after the name.
        fields = stat.rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _settle(pids: Callable[[], list[int]], *, within: float = 120) -> None:
    """Until the workers are idle: each loads Django after it starts, and the load should
    neither wait for that nor be charged for it."""
    until = time.monotonic() + within
    spent = _workers_cpu(pids())
    while time.monotonic() < until:
        time.sleep(1)
        now = _workers_cpu(pids())
        if now - spent < 0.05:
            return
        spent = now


def _report_path() -> Path:
    given = os.environ.get("LOAD_REPORT")
    if given:
        return Path(given)
    var = Path(os.environ.get("KARNAMEH_VAR_DIR") or ROOT / "var")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return var / "reliability" / f"load-{stamp}.json"


def _tail(path: Path, lines: int = 30) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# --- the run ---------------------------------------------------------------------------------


def main() -> int:
    for each in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(each, _stop)
    settings = {
        "seconds": SECONDS,
        "users": USERS,
        "spawn_rate": SPAWN_RATE,
        "ramp_seconds": RAMP_SECONDS,
        "settle_seconds": SETTLE_SECONDS,
        "workers": WORKERS,
        "participations": PARTICIPATIONS,
        "cores": os.cpu_count(),
        "scenario": os.environ.get("LOAD_TITLE") or "Deadline peak",
    }
    report = _report_path()
    workdir = Path(tempfile.mkdtemp(prefix="karnameh-load-"))
    began = dt.datetime.now(dt.UTC)
    try:
        with database() as url:
            clock = time.perf_counter()
            plan = seed(url, workdir)
            probe = plan.pop("probe_token")
            (workdir / "plan.json").write_text(json.dumps(plan, ensure_ascii=False))
            print(f"seeded in {time.perf_counter() - clock:.0f} s", flush=True)
            from reliability.live import Gunicorn

            server = Gunicorn(workdir, workers=WORKERS)
            try:
                server.wait_ready(probe)
                _settle(server.worker_pids)
                # CPU seconds: the workers' own while they live; locust's once it is reaped.
                before = (_children_cpu(), _workers_cpu(server.worker_pids()))
                peak: list[float] = []
                code = run_locust(
                    server.url,
                    workdir,
                    at_peak=lambda: peak.append(_workers_cpu(server.worker_pids())),
                )
                after = (_children_cpu(), _workers_cpu(server.worker_pids()))
            finally:
                server.stop()
            if not (workdir / "locust_stats.csv").exists():
                log = _tail(workdir / "locust.log")
                print(f"locust ended (exit {code}) without statistics:\n{log}")
                return 1
            found = figures(workdir)
            # Over the peak alone when the ramp's end was seen, as locust's figures are.
            start = peak[0] if peak else before[1]
            found["cpu_s"] = {
                "locust": round(after[0] - before[0], 1),
                "gunicorn": round(after[1] - start, 1),
                "gunicorn_ramp": round(start - before[1], 1),
            }
    except Stop as stop:
        print(f"stopped by {stop}; cleaned up", file=sys.stderr)
        return 130
    except Exception:
        print(_tail(workdir / "gunicorn.log"), file=sys.stderr)
        raise
    finally:
        if KEEP:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    missed = verdict(found)
    print(summary(found, settings))
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(
        json.dumps(
            {
                "began": began.isoformat(timespec="seconds"),
                "settings": settings,
                "targets": {"min_rps": MIN_RPS, "max_p95_ms": MAX_P95_MS, "failures": 0},
                **found,
                "passed": not missed,
                "missed": missed,
            },
            indent=2,
        )
    )
    print(f"report: {report}")
    if missed:
        print("MISSED: " + "; ".join(missed))
        return 1
    print(f"met: at least {MIN_RPS:.0f} req/s, p95 at most {MAX_P95_MS:.0f} ms, no failure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
