"""Self-scores: an agency's stored answers, its MoU targets and the engine, put together.

Both parts (general and specific) are compiled catalogues (``catalogue.store``, cached by
version); a gauge whose target is set by MoU gets the target in force (``agreements``) added
to its answer when it is scored. Convergence (7.1.3) needs the final scores: it is left for
the evaluation and shown as such.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from karnameh.catalogue.store import engine_catalogue
from karnameh.cycles.models import Participation
from karnameh.scoring import (
    Catalogue,
    CatalogueResult,
    Env,
    Gauge,
    GaugeResult,
    Indicator,
    Scorer,
    score_gauge,
)
from karnameh.scoring.numbers import written

from .models import Answer, Part

# Gauges the agency does not score itself.
LATER = frozenset({"convergence"})


@dataclass(frozen=True)
class Sheet:
    """One part of a participation's evaluation: its compiled catalogue."""

    part: str
    engine: Catalogue


def sheets(participation: Participation) -> list[Sheet]:
    found = [Sheet(Part.GENERAL, engine_catalogue(participation.cycle.general_catalogue))]
    if participation.specific_catalogue_id is not None:
        specific = participation.specific_catalogue
        assert specific is not None
        found.append(Sheet(Part.SPECIFIC, engine_catalogue(specific)))
    return found


def sheet(participation: Participation, part: str) -> Sheet | None:
    return next((s for s in sheets(participation) if s.part == part), None)


def find_gauge(
    participation: Participation, part: str, code: str
) -> tuple[Sheet, Indicator, Gauge] | None:
    """One gauge of the participation's general or specific catalogue, or None."""
    found = sheet(participation, part)
    hit = found.engine.gauge(code) if found else None
    if found is None or hit is None:
        return None
    return found, hit[0], hit[1]


def with_target(data: Mapping[str, Any], target: Decimal | None) -> dict[str, Any]:
    answer = dict(data)
    if target is not None:
        answer["target"] = written(target)
    return answer


def self_score(
    engine: Catalogue,
    indicator: Indicator,
    gauge: Gauge,
    data: Mapping[str, Any] | None,
    target: Decimal | None,
) -> GaugeResult:
    """One gauge's self-score; an empty answer is "missing"."""
    answer = with_target(data, target) if data else None
    return score_gauge(indicator, gauge, answer, Env(engine.max_score, None))


def part_result(
    sheet: Sheet,
    answers: Iterable[Answer],
    targets: Mapping[tuple[str, str], Decimal],
) -> CatalogueResult:
    """The whole part scored from the stored answers (totals per indicator, axis, part)."""
    given = {
        a.gauge_code: with_target(a.data, targets.get((sheet.part, a.gauge_code)))
        for a in answers
        if a.part == sheet.part and a.data
    }
    return Scorer(sheet.engine).score(given)
