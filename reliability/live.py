"""What the reliability runs drive: a real gunicorn on the test database, HTTP calls to it with
API tokens, and a crowd of agencies built with bulk inserts.

The server runs the production settings (``config.settings.prod``) with sync workers, as
deployed; only TLS is left out. Everything here is started by the test and stopped by it: the
master by its process id, a worker only when the test kills it on purpose.
"""

import datetime as dt
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any
from urllib.parse import quote

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection
from django.utils import timezone

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.accounts.tokens import PREFIX_LENGTH, ApiToken, digest_of
from karnameh.agencies.models import Agency, AgencyKind
from karnameh.common.text import persian_digits
from karnameh.cycles.models import Cycle, Participation, Step
from karnameh.cycles.steps import SELF_ASSESSMENT
from karnameh.cycles.tests.builders import open_cycle

ROOT = Path(__file__).resolve().parents[1]
# Loopback only: a proxy named in the environment must not see these requests.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class Member:
    """One agency of the crowd: its participation, its code and its user's API token."""

    participation: int
    agency: str
    token: str


def open_now(**fields: Any) -> Cycle:
    """A published cycle with no agencies yet, whose self-assessment (step 6) runs from a week
    ago to a week ahead in real time: a server in another process cannot share a frozen clock."""
    cycle = open_cycle(agencies=(), **fields)
    today = timezone.localdate()
    Step.objects.filter(cycle=cycle, number=SELF_ASSESSMENT).update(
        planned_start=today - dt.timedelta(days=7), planned_end=today + dt.timedelta(days=7)
    )
    return cycle


def crowd(cycle: Cycle, size: int, *, prefix: str = "RL") -> list[Member]:
    """``size`` provincial units of the cycle's province taking part in it, each with one
    agency user and an API token: bulk inserts, so a thousand take about a second."""
    hq = Agency.objects.get(code="ED")
    names = [f"واحد آزمون {persian_digits(n)}" for n in range(1, size + 1)]
    # bulk_create skips Agency.save(), so the derived fields are set here as it would set them.
    agencies = Agency.objects.bulk_create(
        Agency(
            code=f"{prefix}-{n:04d}",
            name=name,
            search_name=name.lower(),
            kind=AgencyKind.PROVINCIAL_UNIT,
            parent=hq,
            headquarters_id=hq.headquarters_id,
            province_id=cycle.province_id,
            agency_type_id=hq.agency_type_id,
        )
        for n, name in enumerate(names, start=1)
    )
    users = User.objects.bulk_create(
        # An unusable password (Django's "!" mark): these users sign in by token only.
        User(
            username=f"{prefix.lower()}-{n:04d}",
            first_name="کاربر",
            last_name=name,
            password=UNUSABLE_PASSWORD_PREFIX,
        )
        for n, name in enumerate(names, start=1)
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=Role.AGENCY, agency=agency)
        for user, agency in zip(users, agencies, strict=True)
    )
    tokens = tokens_for(users)
    rows = Participation.objects.bulk_create(
        Participation(cycle=cycle, agency=agency) for agency in agencies
    )
    return [
        Member(row.pk, agency.code, token)
        for row, agency, token in zip(rows, agencies, tokens, strict=True)
    ]


def tokens_for(users: list[User]) -> list[str]:
    """One new API token for each user (bulk inserted); their secrets, in the same order."""
    tokens = [secrets.token_urlsafe(32) for _ in users]
    ApiToken.objects.bulk_create(
        ApiToken(
            user=user, name="reliability", prefix=token[:PREFIX_LENGTH], digest=digest_of(token)
        )
        for user, token in zip(users, tokens, strict=True)
    )
    return tokens


@dataclass(frozen=True)
class Reply:
    """An HTTP answer and when, on this machine's clock, the request left and the answer came."""

    status: int
    body: dict[str, Any]
    sent: float
    received: float


def call(
    base: str,
    method: str,
    path: str,
    *,
    token: str,
    body: dict[str, Any] | None = None,
    key: str | None = None,
    timeout: float = 60,
) -> Reply:
    """One request with a bearer token. Any HTTP status is returned; a connection that ends
    before the whole answer came raises ``OSError``, and the caller decides whether to retry."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if key:
        headers["Idempotency-Key"] = key
    # S310: ``base`` is the http:// address of a server this process started.
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)  # noqa: S310
    sent = time.time()
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except http.client.HTTPException as error:
        # A worker killed while it sent its answer (e.g. half the body): no answer either.
        raise ConnectionError(f"{type(error).__name__}: {error}") from error
    received = time.time()
    try:
        parsed = json.loads(raw or b"{}")
    except ValueError:
        parsed = {"raw": raw[:300].decode(errors="replace")}
    return Reply(status, parsed if isinstance(parsed, dict) else {"list": parsed}, sent, received)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _database_url() -> str:
    """The test database this process uses, for the server to use too."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "") + (":" + quote(s["PASSWORD"]) if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Gunicorn:
    """``gunicorn config.wsgi`` with sync workers on a free loopback port."""

    def __init__(self, folder: Path, *, workers: int) -> None:
        self.workers = workers
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / "gunicorn.log"
        media = folder / "media"
        media.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "DATABASE_URL": _database_url(),
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1",
            # No TLS on the loopback: production sits behind nginx, which adds it.
            "SECURE_SSL_REDIRECT": "false",
            "MEDIA_ROOT": str(media),
            "LOG_LEVEL": "WARNING",
        }
        command = [sys.executable, "-m", "gunicorn", "config.wsgi"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)]
        command += ["--worker-class", "sync", "--timeout", "60", "--graceful-timeout", "5"]
        # The control socket's default path is one per user: two servers would share it.
        command += ["--no-control-socket"]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc (Linux)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # "pid (name) state ppid …": the name may hold spaces, so split after its ")".
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == self.process.pid and fields[0] != "Z":
                found.append(int(entry.name))
        return sorted(found)

    def wait_ready(self, token: str, *, within: float = 90) -> None:
        """Until every worker is up and the API answers as the token's user."""
        until = time.monotonic() + within
        while time.monotonic() < until:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.log.read_text()[-2000:]}")
            try:
                answered = call(self.url, "GET", "/api/v1/accounts/me", token=token, timeout=5)
            except OSError:
                answered = None
            if answered and answered.status == 200 and len(self.worker_pids()) == self.workers:
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start: {self.log.read_text()[-2000:]}")

    def kill_worker(self, rng: Random) -> int | None:
        """SIGKILL one worker chosen at random (the master starts another); its pid."""
        pids = self.worker_pids()
        if not pids:
            return None
        victim = rng.choice(pids)
        try:
            os.kill(victim, signal.SIGKILL)
        except ProcessLookupError:
            return None
        return victim

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
