"""What the public portal reads: released cycles, their ranking, an agency's page.

Everything here is the same for every visitor (the portal shows the public's view even to
staff), so it is read without a user and returned as plain, picklable rows that the pages and
the API cache per cycle (see ``cache.py``). Each function costs a fixed number of queries,
whatever the number of agencies.
"""

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.http import Http404

from karnameh.accounts.permissions import may
from karnameh.common.text import ascii_digits, normalize_fa
from karnameh.cycles.models import Cycle, CycleStatus
from karnameh.results.models import Result
from karnameh.results.ranking import Standing, by_peer_group, percent, standings

# The portal answers as it would answer anyone: a signed-in person sees nothing more, and the
# page can be cached once for all.
PUBLIC = AnonymousUser()
ONE_PLACE = Decimal("0.1")
# Zero-width non-joiner and tatweel: spelling variants that must not hide a name.
_IGNORED = {"\u200c", "\u200d", "\u0640"}


def search_key(text: str) -> str:
    """A name as search compares it: Arabic letter forms made Persian, digits ASCII, lower
    case, diacritics (including the hamza of «ادارهٔ»), half-spaces and spaces dropped.

    «اداره كل بهزيستي» and «ادارهٔ‌کل بهزیستی» have the same key.
    """
    text = ascii_digits(normalize_fa(text)).lower()
    return "".join(
        c
        for c in unicodedata.normalize("NFD", text)
        if c not in _IGNORED and not c.isspace() and unicodedata.category(c) != "Mn"
    )


def released_cycles() -> list[Cycle]:
    """Every cycle with released results, newest first; one query."""
    return list(
        Cycle.objects.filter(release__isnull=False)
        .exclude(status=CycleStatus.DRAFT)
        .select_related("province", "release")
        .annotate(agencies=Count("participations__result"))
        .order_by("-year", "province__name", "level")
    )


def portal_cycle(pk: int) -> Cycle:
    """A cycle whose results are released; any other is 404, to everyone. One query."""
    cycle = (
        Cycle.objects.exclude(status=CycleStatus.DRAFT)
        .select_related("province", "release")
        .filter(pk=pk)
        .first()
    )
    if cycle is not None:
        # The release came with the cycle: spare ``is_released`` its own query.
        cycle._released = hasattr(cycle, "release")  # type: ignore[attr-defined]
    if cycle is None or not may(PUBLIC, "portal.view", cycle):
        raise Http404
    return cycle


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _percent(score: Decimal | None, top: Decimal | None) -> Decimal:
    return percent(score, top).quantize(ONE_PLACE)


@dataclass(frozen=True)
class Axis:
    part: str
    code: str
    title: str
    score: Decimal
    max: Decimal

    @property
    def percent(self) -> Decimal:
        return _percent(self.score, self.max)

    @property
    def key(self) -> tuple[str, str]:
        return (self.part, self.code)


def axes_of(result: Result) -> tuple[Axis, ...]:
    return tuple(
        Axis(
            part=a["part"],
            code=str(a["code"]),
            title=a["title"],
            score=_decimal(a["score"]),
            max=_decimal(a["max"]),
        )
        for a in result.axes or []
    )


@dataclass(frozen=True)
class Row:
    """One agency's line in the published ranking."""

    rank: int
    tied: bool
    peer_rank: int
    peer_tied: bool
    peer_size: int
    code: str
    name: str
    key: str
    agency_type: str
    final: Decimal
    general: Decimal
    general_max: Decimal
    specific: Decimal | None
    specific_max: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    axes: tuple[Axis, ...] = ()

    @property
    def trend(self) -> str:
        """up, down or same against last year; empty without last year's score."""
        if self.change is None:
            return ""
        return "up" if self.change > 0 else "down" if self.change < 0 else "same"

    @property
    def change_size(self) -> Decimal | None:
        return None if self.change is None else abs(self.change)


@dataclass(frozen=True)
class Board:
    """A cycle's published ranking: overall, and per peer group (agency type)."""

    rows: list[Row]
    groups: list[tuple[str, list[Row]]] = field(default_factory=list)

    def row(self, code: str) -> Row:
        for row in self.rows:
            if row.code == code:
                return row
        raise Http404

    def peers(self, row: Row) -> list[Row]:
        return next(members for _name, members in self.groups if row in members)

    def matching(self, query: str) -> "Board":
        """The rows whose name (or code) holds the query; ranks stay those of the full list."""
        needle = search_key(query)
        if not needle:
            return self
        hit = {r.code for r in self.rows if needle in r.key or needle in r.code.lower()}
        return Board(
            rows=[r for r in self.rows if r.code in hit],
            groups=[
                (name, kept)
                for name, members in self.groups
                if (kept := [r for r in members if r.code in hit])
            ],
        )


def _row(standing: Standing, peer_tied: bool) -> Row:
    result = standing.result
    agency = standing.agency
    return Row(
        rank=standing.rank,
        tied=standing.tied,
        peer_rank=standing.peer_rank,
        peer_tied=peer_tied,
        peer_size=standing.peer_size,
        code=agency.code,
        name=agency.name,
        key=search_key(agency.name),
        agency_type=agency.agency_type.name,
        final=result.final,
        general=result.general,
        general_max=result.general_max,
        specific=result.specific,
        specific_max=result.specific_max,
        previous=standing.previous.final if standing.previous else None,
        change=standing.change,
        axes=axes_of(result),
    )


def board(cycle: Cycle) -> Board:
    """The ranking of a released cycle (``results.ranking``: ties share a rank)."""
    # The gauges (hundreds per agency) are for report cards: decoding their JSON would be
    # half the cost of the ranking.
    results = list(
        Result.objects.filter(participation__cycle=cycle)
        .defer("gauges", "explanation")
        .select_related("participation__agency", "participation__agency__agency_type")
    )
    ranked = standings(cycle, results)
    groups = by_peer_group(ranked)
    rows: dict[str, Row] = {}
    out_groups: list[tuple[str, list[Row]]] = []
    for kind, members in groups:
        shared: dict[int, int] = {}
        for s in members:
            shared[s.peer_rank] = shared.get(s.peer_rank, 0) + 1
        made = [_row(s, shared[s.peer_rank] > 1) for s in members]
        rows.update((r.code, r) for r in made)
        out_groups.append((kind.name, made))
    return Board(rows=[rows[s.agency.code] for s in ranked], groups=out_groups)


@dataclass(frozen=True)
class Year:
    """The agency's published result in one cycle of its province and level."""

    cycle: int
    year: int
    final: Decimal
    axes: dict[tuple[str, str], Decimal]
    current: bool


def years(cycle: Cycle, code: str) -> list[Year]:
    """The agency's results in every RELEASED cycle of the same province and level, oldest
    first; one query. A cycle not yet released lends nothing, not even its year."""
    found = (
        Result.objects.filter(
            participation__agency__code=code,
            participation__cycle__province=cycle.province_id,
            participation__cycle__level=cycle.level,
            participation__cycle__release__isnull=False,
        )
        .exclude(participation__cycle__status=CycleStatus.DRAFT)
        .defer("gauges", "explanation")
        .select_related("participation__cycle")
        .order_by("participation__cycle__year")
    )
    return [
        Year(
            cycle=r.participation.cycle_id,
            year=r.participation.cycle.year,
            final=r.final,
            axes={a.key: a.score for a in axes_of(r)},
            current=r.participation.cycle_id == cycle.pk,
        )
        for r in found
    ]


@dataclass(frozen=True)
class AxisLine:
    """An axis on the agency's page, beside its peer group's average."""

    axis: Axis
    peer_average: Decimal | None


def axis_lines(row: Row, peers: list[Row]) -> list[AxisLine]:
    """The agency's axes with the peer group's average percentage of each."""
    lines = []
    for axis in row.axes:
        shares = [a.percent for p in peers for a in p.axes if a.key == axis.key]
        average = (sum(shares, Decimal(0)) / len(shares)).quantize(ONE_PLACE) if shares else None
        lines.append(AxisLine(axis=axis, peer_average=average))
    return lines
