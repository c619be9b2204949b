"""The package a province sends to the national organization once its results are published.

Format ``karnameh-national-package/1`` (schema: ``schema/national-package-1.json``, served at
``/exports/schema/national-package-1.json``; docs/exports.md describes every field). It holds
what a national installation needs to rank a province's agencies beside other provinces'
without any of the province's rows: the agencies, their fixed results with axis and gauge
scores, their ranks, the approvals (roles and dates, no names) and the publication date.

``checksum.value`` is the SHA-256 of the *canonical* content: the package without its
``checksum`` member, as JSON with sorted keys, no spaces, UTF-8 text unescaped. Whitespace or
key order changed on the way does not matter; any changed value does.
"""

import datetime as dt
import hashlib
import json
from typing import Any

from django.utils.translation import gettext as _

from karnameh.common.jalali import format_jalali_date
from karnameh.cycles.models import Cycle
from karnameh.results.locks import approvals_in_force
from karnameh.results.models import Release, Result
from karnameh.results.ranking import standings
from karnameh.scoring.numbers import written

from .excel import Column, Table

FORMAT = "karnameh-national-package/1"
ALGORITHM = "sha256"


def _moment(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None


def _number(value: Any) -> int | float | None:
    return None if value is None else written(value)


def canonical(package: dict[str, Any]) -> bytes:
    """The bytes the checksum is taken over: everything but the checksum itself."""
    content = {key: value for key, value in package.items() if key != "checksum"}
    return json.dumps(
        content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def checksum(package: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(package)).hexdigest()


def _results(cycle: Cycle) -> list[Result]:
    return list(
        Result.objects.filter(participation__cycle=cycle).select_related(
            "participation__agency__agency_type",
            "participation__agency__headquarters",
            "participation__specific_catalogue",
        )
    )


def build_package(cycle: Cycle) -> dict[str, Any]:
    """The package of a published provincial cycle (the caller checks ``exports.package``)."""
    rows = standings(cycle, _results(cycle))
    release = Release.objects.filter(cycle=cycle).first()
    approvals = sorted(approvals_in_force(cycle).values(), key=lambda a: a.approved_at)
    agencies = []
    specific: set[str] = set()
    for s in rows:
        agency, result = s.agency, s.result
        catalogue = result.participation.specific_catalogue
        if catalogue is not None:
            specific.add(catalogue.code)
        hq = agency.headquarters if agency.headquarters_id not in (None, agency.pk) else None
        agencies.append(
            {
                "code": agency.code,
                "name": agency.name,
                "type": {"code": agency.agency_type.code, "name": agency.agency_type.name},
                "kind": agency.kind,
                "headquarters": hq.code if hq else None,
                "specific_catalogue": catalogue.code if catalogue else None,
                "rank": s.rank,
                "peer_rank": s.peer_rank,
                "peer_size": s.peer_size,
                "result": {
                    "self_total": _number(result.self_total),
                    "general": _number(result.general),
                    "general_max": _number(result.general_max),
                    "specific": _number(result.specific),
                    "specific_max": _number(result.specific_max),
                    "final": _number(result.final),
                    "fixed_at": _moment(result.fixed_at),
                },
                "axes": result.axes,
                "gauges": result.gauges,
            }
        )
    province = cycle.province
    package: dict[str, Any] = {
        "format": FORMAT,
        "generated_at": _moment(dt.datetime.now(dt.UTC)),
        "province": {"code": province.code, "name": province.name} if province else None,
        "cycle": {
            "year": cycle.year,
            "level": cycle.level,
            "title": cycle.title,
            "composition": cycle.composition,
        },
        "catalogues": {"general": cycle.general_catalogue.code, "specific": sorted(specific)},
        "approvals": [
            {"stage": a.stage, "role": a.stage, "approved_at": _moment(a.approved_at)}
            for a in approvals
        ],
        "published_at": _moment(release.released_at if release else None),
        "agencies": agencies,
    }
    package["checksum"] = {"algorithm": ALGORITHM, "value": checksum(package)}
    return package


def package_bytes(package: dict[str, Any]) -> bytes:
    """The download: indented for a person who opens it, the same content for the checksum."""
    return json.dumps(package, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")


def _when(text: str | None) -> str:
    return format_jalali_date(dt.datetime.fromisoformat(text)) if text else ""


def package_tables(package: dict[str, Any]) -> list[Table]:
    """The same content as sheets, for people who read the package in Excel."""
    agencies = package["agencies"]
    about = [
        [_("Format"), package["format"]],
        [_("Province"), (package["province"] or {}).get("name", "")],
        [_("Cycle"), package["cycle"]["title"]],
        [_("Year"), package["cycle"]["year"]],
        [_("General catalogue"), package["catalogues"]["general"]],
        [_("Published"), _when(package["published_at"])],
        [_("Agencies"), len(agencies)],
        [_("Checksum (SHA-256)"), package["checksum"]["value"]],
    ]
    about += [
        [_("Approval: %(stage)s") % {"stage": a["role"]}, _when(a["approved_at"])]
        for a in package["approvals"]
    ]
    results = [
        [
            a["rank"],
            a["peer_rank"],
            a["code"],
            a["name"],
            a["type"]["code"],
            a["type"]["name"],
            a["kind"],
            a["headquarters"] or "",
            a["result"]["self_total"],
            a["result"]["general"],
            a["result"]["general_max"],
            a["result"]["specific"],
            a["result"]["specific_max"],
            a["result"]["final"],
        ]
        for a in agencies
    ]
    axes = [
        [a["code"], x["part"], x["code"], x["title"], x["score"], x["max"], x["self"]]
        for a in agencies
        for x in a["axes"]
    ]
    gauges = [
        [
            a["code"],
            g["part"],
            g["axis"],
            g["indicator"],
            g["code"],
            g["title"],
            g["score"],
            g["max"],
            g["status"],
            g["self"],
            g["source"],
        ]
        for a in agencies
        for g in a["gauges"]
    ]
    code, part = Column(_("Agency code"), 14), Column(_("Part"), 10)
    score, top, own = Column(_("Score"), 10), Column(_("Maximum"), 10), Column(_("Self-score"), 10)
    return [
        Table(_("Package"), [Column(_("Item"), 24), Column(_("Value"), 70)], about),
        Table(
            _("Agencies"),
            [
                Column(_("Rank"), 8),
                Column(_("Rank in the peer group"), 12),
                code,
                Column(_("Agency"), 45),
                Column(_("Agency type code"), 14),
                Column(_("Agency type"), 24),
                Column(_("Kind"), 14),
                Column(_("Headquarters code"), 14),
                Column(_("Self-assessment total"), 14),
                Column(_("General score"), 12),
                Column(_("General maximum"), 12),
                Column(_("Specific score"), 12),
                Column(_("Specific maximum"), 12),
                Column(_("Final score (of 100)"), 14),
            ],
            results,
        ),
        Table(
            _("Axes"),
            [code, part, Column(_("Axis"), 8), Column(_("Title"), 40), score, top, own],
            axes,
        ),
        Table(
            _("Gauges"),
            [
                code,
                part,
                Column(_("Axis"), 8),
                Column(_("Indicator"), 10),
                Column(_("Gauge"), 10),
                Column(_("Title"), 50),
                score,
                top,
                Column(_("Status"), 12),
                own,
                Column(_("Source"), 12),
            ],
            gauges,
        ),
    ]
