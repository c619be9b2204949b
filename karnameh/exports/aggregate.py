"""A national cycle's view of its provinces: every imported agency ranked together.

Read from the imported packages alone (the national installation may hold none of the
provinces' rows), with the provinces' own tie-breaking (``results.ranking``): final score,
then general %, then specific %, equal keys sharing a rank and listed by code.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from karnameh.cycles.models import Cycle
from karnameh.results.ranking import Key, rank_by, tie_key

from .models import ProvincialPackage


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@dataclass
class Row:
    province_code: str
    province_name: str
    code: str
    name: str
    type_code: str
    type_name: str
    final: Decimal
    general: Decimal
    general_max: Decimal
    specific: Decimal | None
    specific_max: Decimal | None
    province_rank: int  # as the province ranked it
    axes: list[dict[str, Any]]
    rank: int = 0  # among every imported agency
    type_rank: int = 0  # among imported agencies of its type

    @property
    def key(self) -> Key:
        return tie_key(self.final, self.general, self.general_max, self.specific, self.specific_max)


@dataclass
class Province:
    package: ProvincialPackage
    agencies: int
    average_final: Decimal
    # (part, axis code) -> average score of the province's agencies on that axis
    axes: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    # The same averages in the order of ``Aggregate.axes`` (None: the province lacks the axis)
    averages: list[Decimal | None] = field(default_factory=list)


@dataclass
class Aggregate:
    rows: list[Row]
    by_type: list[tuple[str, str, list[Row]]]
    provinces: list[Province]
    axes: list[tuple[str, str, str]]  # (part, code, title) in the order first met


def ranked(rows: Iterable[Row]) -> list[tuple[int, Row]]:
    """(rank, row), best first, by the provinces' own ranking rule (``results.ranking``)."""
    return rank_by(rows, lambda r: r.key, lambda r: (r.code, r.province_code))


def _rows(package: ProvincialPackage) -> list[Row]:
    return [
        Row(
            province_code=package.province_code,
            province_name=package.province_name,
            code=a["code"],
            name=a["name"],
            type_code=a["type"]["code"],
            type_name=a["type"]["name"],
            final=Decimal(str(a["result"]["final"])),
            general=Decimal(str(a["result"]["general"])),
            general_max=Decimal(str(a["result"]["general_max"])),
            specific=_decimal(a["result"]["specific"]),
            specific_max=_decimal(a["result"]["specific_max"]),
            province_rank=a["rank"],
            axes=a["axes"],
        )
        for a in package.payload["agencies"]
    ]


def aggregate(cycle: Cycle) -> Aggregate:
    """Two queries: the packages (their payloads hold everything) and the importers."""
    packages = list(
        ProvincialPackage.objects.filter(cycle=cycle)
        .select_related("imported_by")
        .order_by("province_name")
    )
    everyone: list[Row] = []
    provinces = []
    axes: dict[tuple[str, str], str] = {}
    for package in packages:
        rows = _rows(package)
        everyone += rows
        sums: dict[tuple[str, str], Decimal] = {}
        for row in rows:
            for axis in row.axes:
                key = (axis["part"], axis["code"])
                axes.setdefault(key, axis["title"])
                sums[key] = sums.get(key, Decimal(0)) + Decimal(str(axis["score"]))
        count = len(rows) or 1
        provinces.append(
            Province(
                package=package,
                agencies=len(rows),
                average_final=sum((r.final for r in rows), Decimal(0)) / count,
                axes={key: total / count for key, total in sums.items()},
            )
        )
    for province in provinces:
        province.averages = [province.axes.get(key) for key in axes]
    overall = ranked(everyone)
    for rank, row in overall:
        row.rank = rank
    types: dict[str, tuple[str, list[Row]]] = {}
    for _rank, row in overall:
        types.setdefault(row.type_code, (row.type_name, []))[1].append(row)
    by_type = []
    for code, (name, members) in sorted(types.items(), key=lambda t: t[1][0]):
        for rank, row in ranked(members):
            row.type_rank = rank
        by_type.append((code, name, sorted(members, key=lambda r: (r.type_rank, r.code))))
    return Aggregate(
        rows=[row for _rank, row in overall],
        by_type=by_type,
        provinces=provinces,
        axes=[(part, code, title) for (part, code), title in axes.items()],
    )
