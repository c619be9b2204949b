"""Fixed results built straight as rows, for the report-card tests (no tests here).

``fixed(cycle, {"AR-ED": {"1.1.1": (8, 10, 9), ...}})`` writes each agency's ``Result`` with
those gauges (score, max, self-score) in one axis per first code digit, then the deputy's
approval; ``release(cycle)`` publishes. Real scoring is tested in results; cards only read.
"""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone

from karnameh.accounts.models import User
from karnameh.cycles.models import Cycle
from karnameh.cycles.tests.builders import open_cycle, participation
from karnameh.results.models import Approval, Release, Result, Stage

Gauges = dict[str, tuple[Any, Any, Any]]  # (score, max, self-score)


def result_for(cycle: Cycle, code: str, gauges: Gauges, *, final: str | None = None) -> Result:
    axes: dict[str, dict[str, Any]] = defaultdict(lambda: {"score": 0, "max": 0, "self": 0})
    rows = []
    for gauge, (score, top, own) in gauges.items():
        axis, indicator = gauge.split(".")[0], ".".join(gauge.split(".")[:2])
        rows.append(
            {
                "part": "general",
                "axis": axis,
                "indicator": indicator,
                "indicator_title": f"شاخص {indicator}",
                "code": gauge,
                "title": f"نماگر {gauge}",
                "score": score,
                "max": top,
                "status": "scored",
                "self": own,
                "source": "review",
            }
        )
        totals = axes[axis]
        totals["score"] += score
        totals["max"] += top
        totals["self"] += own
    total = sum(a["score"] for a in axes.values())
    top_total = sum(a["max"] for a in axes.values()) or 1
    return Result.objects.create(
        participation=participation(cycle, code),
        self_total=Decimal(str(sum(a["self"] for a in axes.values()))),
        general=Decimal(str(total)),
        general_max=Decimal(str(top_total)),
        final=Decimal(final) if final else Decimal(str(round(total * 100 / top_total, 2))),
        fixed_at=timezone.now(),
        axes=[{"part": "general", "code": k, "title": f"محور {k}", **v} for k, v in axes.items()],
        gauges=rows,
    )


def fixed(cycle: Cycle, agencies: dict[str, Gauges], **finals: str) -> dict[str, Result]:
    found = {
        code: result_for(cycle, code, gauges, final=finals.get(code.replace("-", "_")))
        for code, gauges in agencies.items()
    }
    Approval.objects.create(
        cycle=cycle,
        stage=Stage.DEPUTY,
        approved_by=User.objects.get(username="deputy"),
        approved_at=timezone.now(),
    )
    return found


def release(cycle: Cycle) -> None:
    Release.objects.create(
        cycle=cycle, released_by=User.objects.get(username="staff"), released_at=timezone.now()
    )


def published_cycle(
    agencies: dict[str, Gauges], *, year: int = 1403, released: bool = True
) -> Cycle:
    cycle = open_cycle(year=year, agencies=list(agencies))
    fixed(cycle, agencies)
    if released:
        release(cycle)
    return cycle


SAMPLE: dict[str, Gauges] = {
    # social: AR-ED, AR-WEL, AR-CU; economic: AR-EF
    "AR-ED": {"1.1.1": (9, 10, 10), "1.1.2": (2, 10, 8), "2.1.1": (15, 20, 20)},
    "AR-WEL": {"1.1.1": (5, 10, 6), "1.1.2": (8, 10, 8), "2.1.1": (15, 20, 15)},
    "AR-CU": {"1.1.1": (4, 10, 6), "1.1.2": (8, 10, 9), "2.1.1": (15, 20, 16)},
    "AR-EF": {"1.1.1": (10, 10, 10), "1.1.2": (10, 10, 10), "2.1.1": (20, 20, 20)},
}
