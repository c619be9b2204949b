"""Small catalogues built in the tests, so each test shows the whole rule it scores.

``gauge``, ``indicator`` and ``axis`` build the file's dictionaries (maxima default to the sum
of the parts); ``load`` checks them with the real loader. ``one_gauge`` is the usual case: a
catalogue with axis 1, indicator 1.1 and gauge 1.1.1 only.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from karnameh.scoring import Catalogue, GaugeResult, Scorer, catalogue_from_data

JUDGEMENT: dict[str, Any] = {"kind": "judgement"}


def _sum(parts: list[dict[str, Any]]) -> Decimal:
    return sum((Decimal(str(p["max_score"])) for p in parts), Decimal(0))


def field(code: str, type_: str = "number", **extra: Any) -> dict[str, Any]:
    return {"code": code, "label": f"برچسب {code}", "type": type_, **extra}


def gauge(code: str, max_score: Any = 10, rule: Mapping[str, Any] | None = None, **extra: Any):
    data: dict[str, Any] = {
        "code": code,
        "title": f"نماگر {code}",
        "max_score": max_score,
        "method": "روش سنجش",
        "rule": dict(rule or JUDGEMENT),
    }
    data.update(extra)
    return data


def indicator(code: str, *gauges: dict[str, Any], max_score: Any = None, **extra: Any):
    data: dict[str, Any] = {
        "code": code,
        "title": f"شاخص {code}",
        "unit": "percent",
        "target": None,
        "max_score": _sum(list(gauges)) if max_score is None else max_score,
        "gauges": list(gauges),
    }
    data.update(extra)
    return data


def axis(code: str, *indicators: dict[str, Any], max_score: Any = None) -> dict[str, Any]:
    return {
        "code": code,
        "title": f"محور {code}",
        "max_score": _sum(list(indicators)) if max_score is None else max_score,
        "indicators": list(indicators),
    }


def catalogue(*axes: dict[str, Any], not_applicable: str = "axis", **extra: Any):
    data: dict[str, Any] = {
        "format": "karnameh-catalogue/1",
        "code": "test-1397",
        "title": "شاخص‌نامهٔ آزمایشی",
        "year": 1397,
        "level": "provincial",
        "kind": "general",
        "not_applicable": not_applicable,
        "axes": list(axes),
    }
    data.update(extra)
    return data


def load(*axes: dict[str, Any], **extra: Any) -> Catalogue:
    return catalogue_from_data(catalogue(*axes, **extra))


def one_gauge_data(
    rule: Mapping[str, Any],
    *,
    max_score: Any = 10,
    fields: list[dict[str, Any]] | None = None,
    target: Any = None,
    indicator_extra: Mapping[str, Any] | None = None,
    **gauge_extra: Any,
) -> dict[str, Any]:
    """A one-gauge catalogue (1 → 1.1 → 1.1.1) as data; ``target`` is the indicator's."""
    if fields is not None:
        gauge_extra["fields"] = fields
    the_gauge = gauge("1.1.1", max_score, rule, **gauge_extra)
    the_indicator = indicator("1.1", the_gauge, target=target, **dict(indicator_extra or {}))
    return catalogue(axis("1", the_indicator))


def one_gauge(rule: Mapping[str, Any], **options: Any) -> Catalogue:
    return catalogue_from_data(one_gauge_data(rule, **options))


def score_one(cat: Catalogue, answer: Any) -> GaugeResult:
    """The result of gauge 1.1.1 for this answer (None: the gauge is not answered)."""
    answers = {} if answer is None else {"1.1.1": answer}
    result = Scorer(cat).score(answers).gauge("1.1.1")
    assert result is not None
    return result
