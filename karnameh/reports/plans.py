"""The improvement plan (برنامه بهبود عملکرد): the agency's answer to its report card.

Written only after the release, by the agency's own users or performance office, against the
gauges of its card. Each save checks the version the writer started from, so two people
editing at once do not overwrite each other silently.
"""

from __future__ import annotations

from typing import Any

import jdatetime
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import require
from karnameh.audit.services import record
from karnameh.common.errors import DomainError
from karnameh.common.jalali import JalaliDateError, format_jalali_date, parse_jalali_date
from karnameh.common.text import normalize_input, persian_digits
from karnameh.cycles.models import Participation
from karnameh.results.locks import is_released
from karnameh.results.models import ImprovementPlan, Result

MAX_ACTIONS = 100
FIELDS = ("gauge", "action", "owner", "due")


def clean_actions(actions: list[dict[str, Any]], gauges: set[str]) -> list[dict[str, str]]:
    """Rows with every field trimmed; fully empty rows dropped; the first problem raised,
    naming its row (counted as the person sees them, from 1)."""
    today = timezone.localdate()
    cleaned: list[dict[str, str]] = []
    if len(actions) > MAX_ACTIONS:
        raise DomainError(
            _("A plan has at most %(count)s actions.") % {"count": persian_digits(MAX_ACTIONS)},
            code="invalid",
        )
    for number, raw in enumerate(actions, start=1):
        row = {name: str((raw or {}).get(name) or "").strip() for name in FIELDS}
        if not any(row.values()):
            continue
        named = {"row": persian_digits(number)}
        row["gauge"] = normalize_input(row["gauge"])
        if row["gauge"] not in gauges:
            raise DomainError(
                _("Row %(row)s: “%(gauge)s” is not a gauge of this report card.")
                % {**named, "gauge": persian_digits(row["gauge"]) or "—"},
                code="invalid",
            )
        if not row["action"]:
            raise DomainError(_("Row %(row)s: write the action.") % named, code="invalid")
        if not row["due"]:
            raise DomainError(_("Row %(row)s: enter the due date.") % named, code="invalid")
        try:
            due = parse_jalali_date(row["due"])
        except JalaliDateError as error:
            raise DomainError(
                _("Row %(row)s: %(problem)s") % {**named, "problem": error}, code="invalid"
            ) from None
        if due < today:
            raise DomainError(
                _("Row %(row)s: the due date %(date)s has already passed.")
                % {**named, "date": format_jalali_date(due)},
                code="invalid",
            )
        # Stored as the Jalali date it was typed as, with ASCII digits (as the model documents).
        row["due"] = jdatetime.date.fromgregorian(date=due).strftime("%Y-%m-%d")
        cleaned.append(row)
    return cleaned


def plan_save(
    *,
    actor: Any,
    participation: Participation,
    summary: str,
    actions: list[dict[str, Any]],
    version: int,
    ip: str | None = None,
) -> ImprovementPlan:
    """Write the agency's plan; ``version`` is the plan's version the writer started from
    (0 for a new plan)."""
    with transaction.atomic():
        locked = (
            Participation.objects.select_for_update(of=("self",))
            .select_related("cycle", "agency")
            .get(pk=participation.pk)
        )
        require(actor, "reports.plan", locked)
        if not is_released(locked.cycle):
            raise DomainError(
                _("The improvement plan is written after the results are published."),
                code="not_released",
            )
        result = Result.objects.filter(participation=locked).first()
        if result is None:
            raise DomainError(_("This agency has no fixed result."), code="no_result")
        plan = ImprovementPlan.objects.filter(participation=locked).first()
        current = plan.version if plan else 0
        if version != current:
            raise DomainError(
                _(
                    "Someone else changed this plan while you were editing it; reload the page "
                    "and make your changes again."
                ),
                code="stale",
            )
        rows = clean_actions(actions, {g["code"] for g in result.gauges})
        text = (summary or "").strip()
        before = (plan.summary, plan.actions) if plan else ("", [])
        now = timezone.now()
        if plan is None:
            plan = ImprovementPlan(participation=locked)
        plan.summary, plan.actions = text, rows
        plan.updated_at, plan.updated_by = now, actor
        plan.version = current + 1
        plan.save()
        record(
            actor=actor,
            action="reports.plan_save",
            target=locked,
            changes={
                "summary": [before[0], text],
                "actions": [before[1], rows],
                "version": [current, plan.version],
            },
            ip=ip,
        )
    return plan
