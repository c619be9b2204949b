"""The rows the machine compares: a snapshot of every table an action may change, and the facts
the model predicts, read from it.

Read with plain SQL: a snapshot is taken before and after every action, and through the ORM it
was most of the test's run time.
"""

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils.dateparse import parse_datetime

from karnameh.assessments.models import Answer, Evidence
from karnameh.audit.models import AuditEvent
from karnameh.cycles.models import Participation
from karnameh.evaluations.models import Assignment, Consensus, Review
from karnameh.files.models import StoredFile
from karnameh.inquiries.models import Inquiry
from karnameh.notifications.models import Notification
from karnameh.objections.models import Objection
from karnameh.results.models import Approval, Release, Result

from .base import BODY, Base

# Every row an action could change, by kind: a refused action must leave all of them as they
# were; an allowed one only those of its own kinds (plus the audit trail, notifications and
# stored files, which record it).
TABLES: dict[str, Any] = {
    "participation": Participation,
    "answers": Answer,
    "evidence": Evidence,
    "assignments": Assignment,
    "reviews": Review,
    "consensus": Consensus,
    "inquiries": Inquiry,
    "objections": Objection,
    "approvals": Approval,
    "release": Release,
    "results": Result,
}
RECORDS: dict[str, Any] = {"audit": AuditEvent, "notifications": Notification, "files": StoredFile}


def snapshot() -> dict[str, Any]:
    """Every row of those tables, and how many records there are. The table names are the
    models' own, never input."""
    quote = connection.ops.quote_name
    found: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for name, model in TABLES.items():
            cursor.execute(f"SELECT * FROM {quote(model._meta.db_table)} ORDER BY id")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            found[name] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        counts = ", ".join(
            f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})"  # noqa: S608
            for model in RECORDS.values()
        )
        cursor.execute(f"SELECT {counts}")
        found.update(zip(RECORDS, cursor.fetchone(), strict=True))
    return found


def _number(value: Any) -> Decimal | None:
    """A decimal column read with plain SQL (SQLite gives floats, PostgreSQL decimals)."""
    return None if value is None else Decimal(str(value))


def _moment(value: Any) -> dt.datetime | None:
    """A datetime column read with plain SQL: naive UTC on SQLite, aware on PostgreSQL."""
    if value is None:
        return None
    found = value if isinstance(value, dt.datetime) else parse_datetime(value)
    assert found is not None, value
    return found if found.tzinfo else found.replace(tzinfo=dt.UTC)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def observe(base: Base, rows: dict[str, Any]) -> dict[str, Any]:
    """The facts ``Model.expected`` predicts, read from a ``snapshot()``."""
    names = {pk: name for name, pk in base.users.items()}
    groups = {pk: name for name, pk in base.groups.items()}
    p = next(row for row in rows["participation"] if row["id"] == base.ed)
    mine = [row for row in rows["reviews"] if row["assignment_id"] == base.assignment]
    welfare = next(
        (
            row
            for row in rows["inquiries"]
            if row["participation_id"] == base.ed and row["topic_id"] == base.welfare
        ),
        None,
    )
    answered = (
        _json(welfare["scores"]).get(BODY) if welfare and welfare["state"] == "answered" else None
    )
    approvals = {
        row["stage"]: names.get(row["approved_by_id"], row["approved_by_id"])
        for row in rows["approvals"]
        if row["cycle_id"] == base.cycle and row["withdrawn_at"] is None
    }
    assignment = next(row for row in rows["assignments"] if row["id"] == base.assignment)
    return {
        "state": p["state"],
        "version": p["version"],
        "extended": _moment(p["extended_until"]),
        "answers": {
            row["gauge_code"]: _number(row["score"])
            for row in rows["answers"]
            if row["participation_id"] == base.ed
        },
        "evidence": [
            row["id"]
            for row in rows["evidence"]
            if row["participation_id"] == base.ed and row["removed_at"] is None
        ],
        "approved": assignment["approved_at"] is not None,
        "reviews": {
            row["gauge_code"]: (_number(row["score"]), bool(row["deficiencies"])) for row in mine
        },
        "sent": any(row["cycle_id"] == base.cycle for row in rows["inquiries"]),
        "inquiry": _number(answered),
        "objections": [
            (row["id"], row["gauge_code"], row["state"], groups.get(row["group_id"]))
            for row in rows["objections"]
            if row["participation_id"] == base.ed
        ],
        "deputy": approvals.get("deputy"),
        "council": approvals.get("council"),
        "released": any(row["cycle_id"] == base.cycle for row in rows["release"]),
        "results": any(row["participation_id"] in (base.ed, base.ef) for row in rows["results"]),
    }


def approvals_hold(base: Base, rows: dict[str, Any]) -> None:
    """Nothing published without the deputy's and the council's approvals, given by two
    different people, both before the release; no council approval without the deputy's."""
    held = {
        row["stage"]: row
        for row in rows["approvals"]
        if row["cycle_id"] == base.cycle and row["withdrawn_at"] is None
    }
    if "council" in held:
        assert "deputy" in held, "the council's approval stands without the deputy's"
        assert held["council"]["approved_by_id"] != held["deputy"]["approved_by_id"]
    release = next((row for row in rows["release"] if row["cycle_id"] == base.cycle), None)
    if release is not None:
        assert {"deputy", "council"} <= held.keys(), "published without both approvals"
        assert held["deputy"]["approved_by_id"] != held["council"]["approved_by_id"]
        released_at = _moment(release["released_at"])
        approved = [_moment(a["approved_at"]) for a in held.values()]
        assert released_at and all(at and at <= released_at for at in approved), "released first"
