"""Reading MoUs: the version in force and its targets, the gauges that need one, the overview."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from karnameh.accounts.permissions import require
from karnameh.catalogue.models import Catalogue
from karnameh.catalogue.store import engine_catalogue
from karnameh.catalogue.trying import takes_mou_target
from karnameh.cycles.models import Cycle, Participation
from karnameh.cycles.selectors import visible_cycle, visible_participation
from karnameh.cycles.steps import SLICE_DAYS
from karnameh.scoring import Gauge, Indicator

from .models import Agreement, AgreementStatus, Target

IN_FORCE = (AgreementStatus.AGREED, AgreementStatus.IMPOSED)
GENERAL, SPECIFIC = "general", "specific"
PARTS = (GENERAL, SPECIFIC)
# What the overview says of an agency without any version.
NO_MOU = "none"


def current_agreement(participation: Participation) -> Agreement | None:
    """The latest version agreed by both sides or set by the organization; None before that."""
    return (
        Agreement.objects.filter(participation=participation, status__in=IN_FORCE)
        .order_by("-version")
        .first()
    )


def agreed_targets(participation: Participation) -> dict[tuple[str, str], Decimal]:
    """Targets in force by (part, gauge code); one query. Empty until an MoU is in force."""
    rows = Target.objects.filter(
        agreement__participation=participation, agreement__status__in=IN_FORCE
    ).order_by("agreement__version")
    # Later versions overwrite earlier ones; only one version is in force at a time, but a
    # superseded row left behind must never win.
    return {(row.part, row.gauge_code): row.value for row in rows}


def mou_target(
    participation: Participation, part: str, indicator: Indicator, gauge: Gauge
) -> Decimal | None:
    """The MoU target in force for one gauge being scored. Only a gauge whose catalogue target
    is «*» reads one; for every other gauge this is None without a query (most saves)."""
    if not takes_mou_target(indicator, gauge):
        return None
    return agreed_targets(participation).get((part, gauge.code))


def part_catalogues(participation: Participation) -> list[tuple[str, Catalogue]]:
    """The catalogues an agency is scored on: the cycle's general one and its own specific one."""
    found = [(GENERAL, participation.cycle.general_catalogue)]
    if participation.specific_catalogue_id is not None:
        specific = participation.specific_catalogue
        assert specific is not None
        found.append((SPECIFIC, specific))
    return found


def targets_needed(participation: Participation) -> list[tuple[str, Indicator, Gauge]]:
    """Every gauge whose target is the file's «*»: its number comes from the MoU."""
    return [
        (part, indicator, gauge)
        for part, catalogue in part_catalogues(participation)
        for indicator, gauge in engine_catalogue(catalogue).gauges()
        if takes_mou_target(indicator, gauge)
    ]


def needed_keys(participation: Participation) -> dict[tuple[str, str], tuple[Indicator, Gauge]]:
    return {(part, g.code): (i, g) for part, i, g in targets_needed(participation)}


def versions(participation: Participation) -> list[Agreement]:
    """Every version, newest first, with its targets and who approved it (three queries)."""
    return list(
        Agreement.objects.filter(participation=participation)
        .select_related("agency_approved_by", "organization_approved_by", "created_by")
        .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("part", "pk")))
        .order_by("-version")
    )


def open_draft(participation: Participation) -> Agreement | None:
    return (
        Agreement.objects.filter(participation=participation, status=AgreementStatus.DRAFT)
        .order_by("-version")
        .first()
    )


@dataclass(frozen=True)
class MouState:
    """Where an agency's MoU stands: the version in force, and a draft being worked on."""

    in_force: Agreement | None
    draft: Agreement | None

    @property
    def status(self) -> str:
        if self.in_force is not None:
            return str(self.in_force.status)
        return AgreementStatus.DRAFT if self.draft is not None else NO_MOU


def mou_state(agreements: list[Agreement]) -> MouState:
    """From a participation's versions, in any order."""
    ordered = sorted(agreements, key=lambda a: a.version, reverse=True)
    in_force = next((a for a in ordered if a.status in IN_FORCE), None)
    draft = next((a for a in ordered if a.status == AgreementStatus.DRAFT), None)
    return MouState(in_force, draft)


@dataclass(frozen=True)
class OverviewRow:
    participation: Participation
    state: MouState


def cycle_overview(participations: Any) -> list[OverviewRow]:
    """Each participation with its MoU state: two queries whatever the number of agencies."""
    rows = list(participations.select_related("specific_catalogue"))
    by_participation: dict[int, list[Agreement]] = {}
    agreements = Agreement.objects.filter(participation__in=[p.pk for p in rows])
    for agreement in agreements.only("pk", "participation_id", "version", "status"):
        by_participation.setdefault(agreement.participation_id, []).append(agreement)
    return [OverviewRow(p, mou_state(by_participation.get(p.pk, []))) for p in rows]


def slice_due(cycle: Cycle) -> dt.datetime | None:
    """Provincial slices of national specific indicators are due two weeks after notice."""
    if cycle.published_at is None:
        return None
    return cycle.published_at + dt.timedelta(days=SLICE_DAYS)


def slice_overdue(participation: Participation, now: dt.datetime | None = None) -> bool:
    """Due and still no specific indicators for the agency."""
    due = slice_due(participation.cycle)
    return (
        due is not None
        and participation.specific_catalogue_id is None
        and (now or timezone.now()) >= due
    )


def visible_mou(user: Any, cycle: int, agency: str) -> Participation:
    """An agency's MoUs and specific indicators, if the user may see them (pages and API)."""
    participation = visible_participation(user, cycle, agency)
    require(user, "agreement.view", participation)
    return participation


def visible_mou_cycle(user: Any, cycle: int) -> Cycle:
    """A cycle's MoU overview, for the organization's side of its province (pages and API)."""
    found = visible_cycle(user, cycle)
    require(user, "agreement.list", found)
    return found
