"""An agency's score axis by axis and gauge by gauge, as fixed with its totals (``Result``).

Report cards, the public portal and the province report read these lists from one row per
agency instead of rescoring every agency: after the final approval nothing may change them
but a reasoned reopening, which fixes them again.
"""

from typing import Any

from karnameh.evaluations.final import Scorecard
from karnameh.scoring.numbers import written


def breakdown(card: Scorecard) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(axes, gauges) of the organization's score beside the agency's self-score."""
    axes: list[dict[str, Any]] = []
    gauges: list[dict[str, Any]] = []
    for part in card.parts:
        own_axes = {a.code: a for a in part.self_result.axes}
        own_gauges = {
            g.code: g for a in part.self_result.axes for i in a.indicators for g in i.gauges
        }
        scored = {g.code: g for a in part.result.axes for i in a.indicators for g in i.gauges}
        for axis, result in zip(part.sheet.engine.axes, part.result.axes, strict=True):
            axes.append(
                {
                    "part": part.part,
                    "code": axis.code,
                    "title": axis.title,
                    "score": written(result.score),
                    "max": written(result.max),
                    "self": written(own_axes[axis.code].score),
                }
            )
            for indicator in axis.indicators:
                for gauge in indicator.gauges:
                    got = scored[gauge.code]
                    gauges.append(
                        {
                            "part": part.part,
                            "axis": axis.code,
                            "indicator": indicator.code,
                            "indicator_title": indicator.title,
                            "code": gauge.code,
                            "title": gauge.title,
                            "score": written(got.score),
                            "max": written(got.max),
                            "status": got.status,
                            "self": written(own_gauges[gauge.code].score),
                            "source": part.sources.get(gauge.code, ""),
                        }
                    )
    return axes, gauges
