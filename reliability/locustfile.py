"""The deadline peak, for locust: agency users finishing their self-assessments.

Started by reliability/load.py, which seeds the database and names the plan in ``LOAD_PLAN``
(each account, its participation, and every gauge with a valid answer and its version).
Every user signs in through the login page as its own account, opens its workspace, and then,
every 1 to 3 seconds, does one of:

- reads (70%): the workspace page, a gauge's editor page, the gauge through the API, the
  participation's status through the API;
- saves (25%): the gauge it is on, with the version it last saw and a fresh idempotency key,
  half through the editor's autosave (the form as the page gave it) and half through the API;
  a 409 means someone saved first, which is a correct answer (the user takes the new version);
- uploads (5%): a small valid PDF as evidence through the API.

The status of every answer is counted into ``LOAD_COUNTS`` when the run ends.

Never import this in Django's own process: locust patches the standard library (gevent).
"""

import itertools
import json
import os
import random
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from locust import FastHttpUser, between, constant_throughput, events, task

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
ACCOUNTS = itertools.cycle(PLAN["users"])
STATUSES: Counter[str] = Counter()
# A user stays on a gauge for a few actions (reads it, saves it) before moving on.
MOVE_ON = 0.3


def _pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table (karnameh.files.tests.corpus.pdf,
    imported here without Django)."""
    from karnameh.files.tests.corpus import pdf

    return pdf()


EVIDENCE = _pdf()


@events.request.add_listener
def _count(response: Any = None, exception: Any = None, **_kwargs: Any) -> None:
    code = getattr(response, "status_code", None)
    STATUSES[str(code) if code else f"no answer ({type(exception).__name__})"] += 1


@events.quitting.add_listener
def _write_counts(**_kwargs: Any) -> None:
    target = os.environ.get("LOAD_COUNTS")
    if target:
        Path(target).write_text(json.dumps(dict(STATUSES), sort_keys=True))


STATS: list[Any] = []


@events.init.add_listener
def _keep_stats(environment: Any, **_kwargs: Any) -> None:
    STATS.append(environment.stats)


def _row(entry: Any, name: str, method: str) -> dict[str, Any]:
    def ms(percent: float) -> float | None:
        return entry.get_response_time_percentile(percent) if entry.num_requests else None

    return {
        "name": name,
        "method": method,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        # As locust's CSV gives the peak's: requests over the time since its first request.
        "rps": entry.total_rps,
        "p50_ms": ms(0.5),
        "p95_ms": ms(0.95),
        "p99_ms": ms(0.99),
        "max_ms": entry.max_response_time if entry.num_requests else None,
    }


SIGNED_IN: list[int] = [0]


def _signed_in(environment: Any) -> None:
    """One more user has signed in and opened its workspace (or failed to: it is counted
    all the same, and its failure is in the ramp's figures). When the last one has, the ramp
    ends: what it saw is written (``LOAD_RAMP``) and the statistics start again for the peak.

    Not at locust's own "every user started" (``--reset-stats``): the users started last are
    then still waiting for their sign-in (an Argon2 hash each, seconds behind under load), and
    those hashes would be measured as part of the peak (73 of them in a minute of the crunch).
    With ``LOAD_SETTLE`` seconds, the ramp ends that long after the last sign-in.
    """
    SIGNED_IN[0] += 1
    if SIGNED_IN[0] == environment.parsed_options.num_users:
        settle = float(os.environ.get("LOAD_SETTLE") or 0)
        if settle > 0:
            # The saves queued behind the last sign-ins are answered first, then the peak is
            # measured (LOAD_SETTLE, bench/crunch.py): a green thread, as locust's users are.
            import gevent

            gevent.spawn_later(settle, _peak_starts, environment, SIGNED_IN[0])
        else:
            _peak_starts(environment, SIGNED_IN[0])


def _peak_starts(environment: Any, user_count: int) -> None:
    _end_of_ramp(user_count)
    environment.stats.reset_all()


def _end_of_ramp(user_count: int) -> None:
    """Write what the ramp saw: every user signing in within about ``users / spawn rate``
    seconds on workers that have served nothing yet, a crowd arriving at once, not the peak's
    steady state, which the run's own figures measure from here on."""
    target = os.environ.get("LOAD_RAMP")
    if not target or not STATS:
        return
    stats = STATS[0]
    rows = [_row(e, e.name, e.method) for _, e in sorted(stats.entries.items())]
    rows.append(_row(stats.total, "total", ""))
    ramp = {"users": user_count, "requests": rows, "statuses": dict(STATUSES)}
    STATUSES.clear()
    # Whole or not at all: load.py watches for this file to read the workers' CPU.
    partial = Path(target + ".part")
    partial.write_text(json.dumps(ramp, sort_keys=True))
    partial.replace(target)


class FormFields(HTMLParser):
    """The fields a browser would post from the gauge editor's form (``id="gauge-form"``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self._inside = False
        self._select: str | None = None
        self._first_option: str | None = None
        self._chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == "gauge-form":
            self._inside = True
        if not self._inside or "disabled" in a:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self._select, self._first_option, self._chosen = a["name"], None, False
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a and not self._chosen:
                self.fields.append((self._select, value))
                self._chosen = True
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False
        elif tag == "select" and self._select is not None:
            if not self._chosen and self._first_option is not None:
                self.fields.append((self._select, self._first_option))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


def form_fields(page: str) -> list[tuple[str, str]]:
    start = page.find('id="gauge-form"')
    end = page.find("</form>", start)
    if start < 0 or end < 0:
        return []
    parser = FormFields()
    parser.feed(page[page.rfind("<form", 0, start) : end + len("</form>")])
    return parser.fields


@dataclass
class Gauge:
    part: str
    code: str
    data: dict[str, Any]
    version: int
    # The editor's fields as the page last gave them, once the gauge has an answer.
    form: list[tuple[str, str]] = field(default_factory=list)


VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class AgencyUser(FastHttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        account = next(ACCOUNTS)
        self.base = f"/assessments/{account['cycle']}/{account['agency']}/"
        self.api = f"/api/v1/assessments/{account['cycle']}/{account['agency']}/"
        self.gauges = [
            Gauge(g["part"], g["code"], g["data"], g["version"]) for g in account["gauges"]
        ]
        self.gauge = random.choice(self.gauges)  # noqa: S311 (load, not secrets)
        self.saves = 0
        self.uploads = itertools.cycle(random.sample(self.gauges, len(self.gauges)))
        # Behind nginx in production: it says the request came over HTTPS; a browser's
        # writes carry their origin (Django checks it on HTTPS).
        origin = urlsplit(str(self.host))
        self.headers = {"X-Forwarded-Proto": "https"}
        self.writing = {**self.headers, "Origin": f"https://{origin.netloc}"}
        # The cookies are Secure (production settings); a browser sends them to nginx over
        # HTTPS, locust here speaks plain HTTP to gunicorn, so it must send them anyway.
        self.client.cookiejar.set_policy(
            DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))
        )
        try:
            self.sign_in(account["username"])
            self.workspace_page()
        finally:
            _signed_in(self.environment)

    def sign_in(self, username: str) -> None:
        page = self.client.get("/accounts/login/", headers=self.headers, name="sign in: page")
        token = CSRF.search(page.text or "")
        with self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": username,
                "password": PLAN["password"],
            },
            headers=self.writing,
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in answered {answer.status_code}")

    def _csrf(self) -> str:
        return next((c.value or "" for c in self.client.cookiejar if c.name == "csrftoken"), "")

    def _next_gauge(self) -> Gauge:
        if random.random() < MOVE_ON:  # noqa: S311
            self.gauge = random.choice(self.gauges)  # noqa: S311
        return self.gauge

    def _url(self, gauge: Gauge) -> str:
        return f"{self.base}{gauge.part}/{gauge.code}/"

    # --- reads (70) ---

    def _page(self, url: str, name: str) -> Any:
        """A page as the signed-in user sees it: a redirect (to sign in) is a failure."""
        return self.client.get(
            url, headers=self.headers, name=name, allow_redirects=False, catch_response=True
        )

    @task(20)
    def workspace_page(self) -> None:
        with self._page(self.base, "page: workspace") as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code}")

    @task(20)
    def gauge_page(self) -> None:
        gauge = self._next_gauge()
        with self._page(self._url(gauge), "page: gauge") as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code}")
                return
            fields = form_fields(answer.text or "")
            version = dict(fields).get("version", "")
            if version.isdigit():
                gauge.version = int(version)
                gauge.form = fields if gauge.version else []

    @task(15)
    def gauge_api(self) -> None:
        gauge = self._next_gauge()
        with self.client.get(
            f"{self.api}{gauge.part}/{gauge.code}",
            headers=self.headers,
            name="api: gauge",
            catch_response=True,
        ) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code}")
                return
            gauge.version = answer.json()["version"]

    @task(15)
    def status_api(self) -> None:
        self.client.get(self.api, headers=self.headers, name="api: status")

    # --- saves (25) ---

    @task(25)
    def save(self) -> None:
        gauge, comment = self._turn()
        if gauge.form and random.random() < 0.5:  # noqa: S311
            self._save_page(gauge, comment)
        else:
            self._save_api(gauge, comment)

    def save_api(self) -> None:
        self._save_api(*self._turn())

    def _turn(self) -> tuple[Gauge, str]:
        """The gauge to save next, and a comment that differs from the last one."""
        gauge = self._next_gauge()
        self.saves += 1
        return gauge, f"بازبینی پیش از مهلت، نوبت {self.saves}"

    def _save_api(self, gauge: Gauge, comment: str) -> None:
        with self.client.put(
            f"{self.api}{gauge.part}/{gauge.code}",
            json={"data": gauge.data, "comment": comment, "version": gauge.version},
            headers={
                **self.writing,
                "X-CSRFToken": self._csrf(),
                "Idempotency-Key": uuid.uuid4().hex,
            },
            name="api: save",
            catch_response=True,
        ) as answer:
            if answer.status_code == 200:
                gauge.version = answer.json()["version"]
            elif answer.status_code == 409:
                # Someone saved first: nothing was saved, and the user starts from theirs.
                gauge.version = answer.json()["theirs"]["version"]
                answer.success()
            else:
                answer.failure(f"{answer.status_code}: {(answer.text or '')[:200]}")

    def _save_page(self, gauge: Gauge, comment: str) -> None:
        # A list, not a dict: a checklist posts one name several times.
        posted = [(k, v) for k, v in gauge.form if k not in ("comment", "version", "key")]
        posted += [("comment", comment), ("version", str(gauge.version))]
        posted.append(("key", uuid.uuid4().hex))
        with self.client.post(
            f"{self._url(gauge)}save/",
            data=urlencode(posted),
            headers={
                **self.writing,
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
                "X-CSRFToken": dict(gauge.form).get("csrfmiddlewaretoken", ""),
            },
            name="page: autosave",
            catch_response=True,
        ) as answer:
            text = answer.text or ""
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code}")
            elif 'data-testid="saved"' in text and (found := VERSION.search(text)):
                gauge.version = int(found.group(1))
            elif 'data-testid="conflict"' in text:
                # The page shows both answers; reading it again gives the new version.
                gauge.form = []
                answer.success()
            else:
                answer.failure(f"not saved: {re.sub(r'<[^>]+>', ' ', text)[:200]}")

    # --- uploads (5) ---

    @task(5)
    def upload(self) -> None:
        gauge = next(self.uploads)
        with self.client.post(
            f"{self.api}{gauge.part}/{gauge.code}/evidence",
            files={"files": ("نامهٔ پشتیبان.pdf", EVIDENCE, "application/pdf")},
            headers={**self.writing, "X-CSRFToken": self._csrf()},
            name="api: upload",
            catch_response=True,
        ) as answer:
            if answer.status_code != 201:
                answer.failure(f"{answer.status_code}: {(answer.text or '')[:200]}")


class CrunchUser(AgencyUser):
    """The deadline crunch (``make bench``, bench/crunch.py): every user only saving, through
    the API, ``CRUNCH_RATE`` saves a second each, so the offered load is users × rate. Each
    save is the whole write: validated, scored, versioned, audited, once per idempotency key
    (``assessments.services.answer_save``, the service the editor's autosave calls too)."""

    wait_time = constant_throughput(float(os.environ.get("CRUNCH_RATE") or 0.8))


# Set after the class is made: locust adds a base class's tasks to those a subclass declares.
CrunchUser.tasks = [AgencyUser.save_api]
