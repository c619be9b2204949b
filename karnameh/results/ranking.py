"""The ranking of a cycle's agencies, overall and within each peer group (agency type).

Tie-breaking, in order (docs/results.md says the same to the people ranked):

1. the final score, higher first;
2. the general part as a percentage of its maximum, higher first: every agency answers the
   same general indicators, so it is the most comparable part;
3. the specific part as a percentage of its maximum, higher first (an agency without a
   specific part counts as 0 here);
4. still equal: the agencies share the rank (standard competition ranking, "1, 2, 2, 4") and
   are listed by agency code. Nothing arbitrary, such as a name, decides a rank.

The peer group is the agency type (seed 000: weights and comparisons by type of services and
missions). The same order decides festival places and the performance bonus by score band.
``order`` is pure; ``standings`` reads the fixed results of a cycle and of the year before.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from karnameh.cycles.models import Cycle

from .locks import is_released
from .models import BonusBand, Policy, Result

HUNDRED = Decimal(100)
ZERO = Decimal(0)


def percent(score: Decimal | None, top: Decimal | None) -> Decimal:
    if score is None or not top:
        return ZERO
    return score * HUNDRED / top


Key = tuple[Decimal, Decimal, Decimal]


def tie_key(
    final: Decimal,
    general: Decimal | None,
    general_max: Decimal | None,
    specific: Decimal | None,
    specific_max: Decimal | None,
) -> Key:
    """What decides the order: final, then general %, then specific % (all higher first)."""
    return (final, percent(general, general_max), percent(specific, specific_max))


def sort_key(result: Result) -> Key:
    return tie_key(
        result.final, result.general, result.general_max, result.specific, result.specific_max
    )


T = TypeVar("T")


def rank_by(
    items: Iterable[T], key: Callable[[T], Key], listed: Callable[[T], Any]
) -> list[tuple[int, T]]:
    """(rank, item), best first by ``key``; equal keys share a rank, the next rank is skipped,
    and equals are listed by ``listed`` (an agency code). The one ranking rule: a province's
    results here, the national aggregate of imported packages in ``exports.aggregate``."""
    ranked = sorted(items, key=listed)
    ranked.sort(key=key, reverse=True)
    out: list[tuple[int, T]] = []
    for position, item in enumerate(ranked, start=1):
        if out and key(out[-1][1]) == key(item):
            out.append((out[-1][0], item))
        else:
            out.append((position, item))
    return out


def order(results: Iterable[Result]) -> list[tuple[int, Result]]:
    """(rank, result), best first; equal keys share a rank and the next rank is skipped."""
    return rank_by(results, sort_key, lambda r: r.participation.agency.code)


def coefficient(bands: Sequence[BonusBand], final: Decimal) -> Decimal | None:
    """The coefficient of the band the score falls in: ``lower`` inclusive, the next band's
    ``lower`` exclusive. Below the lowest band (or with no table): None."""
    found = None
    for band in sorted(bands, key=lambda b: b.lower):
        if final >= band.lower:
            found = band.coefficient
    return found


@dataclass
class Standing:
    result: Result
    rank: int
    peer_rank: int
    peer_size: int
    tied: bool  # shares its overall rank with another agency
    previous: Result | None  # the same agency's fixed result in last year's released cycle
    bonus: Decimal | None
    festival: bool

    @property
    def agency(self) -> Any:
        return self.result.participation.agency

    @property
    def change(self) -> Decimal | None:
        """Points gained (or lost, negative) on the final score since last year."""
        if self.previous is None:
            return None
        return self.result.final - self.previous.final


def fixed_results(cycle: Cycle, *, light: bool = False) -> list[Result]:
    """The cycle's fixed results; ``light`` leaves out the gauges and the explanation, which
    are most of a row's size (decoding 100 agencies' gauges costs more than the page)."""
    rows = Result.objects.filter(participation__cycle=cycle).select_related(
        "participation__agency", "participation__agency__agency_type"
    )
    return list(rows.defer("gauges", "explanation") if light else rows)


def previous_cycle(cycle: Cycle) -> Cycle | None:
    """Last year's cycle of the same level and province, if its results are released."""
    found = (
        Cycle.objects.filter(level=cycle.level, province=cycle.province_id, year=cycle.year - 1)
        .select_related("province")
        .first()
    )
    if found is None or not is_released(found):
        return None
    return found


def festival_size(cycle: Cycle) -> int:
    policy = Policy.objects.filter(cycle=cycle).first()
    return policy.festival_size if policy else Policy._meta.get_field("festival_size").default


def standings(
    cycle: Cycle, results: list[Result] | None = None, *, light: bool = False
) -> list[Standing]:
    """Every agency's place in the cycle, best first. At most six queries, whatever the size.

    Last year's results come without their gauges; ``light`` leaves this year's out too."""
    rows = fixed_results(cycle, light=light) if results is None else results
    earlier = previous_cycle(cycle)
    before = (
        {r.participation.agency_id: r for r in fixed_results(earlier, light=True)}
        if earlier
        else {}
    )
    bands = list(BonusBand.objects.filter(cycle=cycle))
    size = festival_size(cycle)
    overall = order(rows)
    groups: dict[int, list[Result]] = {}
    for _rank, result in overall:
        groups.setdefault(result.participation.agency.agency_type_id, []).append(result)
    peer: dict[int, tuple[int, int]] = {}
    for members in groups.values():
        for rank, result in order(members):
            peer[result.pk] = (rank, len(members))
    counts: dict[int, int] = {}
    for rank, _result in overall:
        counts[rank] = counts.get(rank, 0) + 1
    return [
        Standing(
            result=result,
            rank=rank,
            peer_rank=peer[result.pk][0],
            peer_size=peer[result.pk][1],
            tied=counts[rank] > 1,
            previous=before.get(result.participation.agency_id),
            bonus=coefficient(bands, result.final),
            # Ties at the border are all honoured: a place is never decided by a code.
            festival=peer[result.pk][0] <= size,
        )
        for rank, result in overall
    ]


def by_peer_group(rows: list[Standing]) -> list[tuple[Any, list[Standing]]]:
    """(agency type, its standings by peer rank), groups in the order of their names."""
    groups: dict[int, tuple[Any, list[Standing]]] = {}
    for row in rows:
        kind = row.agency.agency_type
        groups.setdefault(kind.pk, (kind, []))[1].append(row)
    ordered = sorted(groups.values(), key=lambda g: g[0].name)
    return [
        (kind, sorted(members, key=lambda s: (s.peer_rank, s.agency.code)))
        for kind, members in ordered
    ]
