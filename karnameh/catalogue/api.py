"""The catalogue API: the same selectors, permission checks and engine as the pages.

- ``GET /catalogues/``: the catalogues the caller may see.
- ``GET /catalogues/{code}``: one catalogue as the file's data (``karnameh-catalogue/1``).
- ``GET /catalogues/{code}/gauges/{gauge}/try?f_received=200&f_handled=119``: the try form's
  parameters (``karnameh.catalogue.trying``); ``POST`` the same path with an answer object as
  an answers file writes it (and ``others_total`` for convergence).
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from karnameh.accounts.permissions import require
from karnameh.scoring import catalogue_to_data
from karnameh.scoring.numbers import json_number, to_decimal, written

from .models import Catalogue
from .selectors import catalogue_gauge, catalogue_list, visible_catalogue
from .store import engine_catalogue
from .trying import Tried, TryForm, try_rule

router = Router(tags=["catalogues"])


class CatalogueOut(Schema):
    code: str
    title: str
    year: int
    level: str
    kind: str
    status: str
    province: str | None
    max_score: float
    version: int

    @staticmethod
    def resolve_province(obj: Catalogue) -> str | None:
        return obj.province.code if obj.province else None

    @staticmethod
    def resolve_max_score(obj: Any) -> float:
        total = obj.declared_max if obj.declared_max is not None else obj.axes_max
        return float(total or 0)


class TryIn(Schema):
    """One gauge's answer as an answers file writes it, e.g. ``{"fields": {"received": 200}}``."""

    model_config = {"extra": "forbid"}

    answer: dict[str, Any] = {}
    others_total: float | str | None = None


class TryOut(Schema):
    gauge: str
    score: float
    max: float
    status: str
    status_label: str
    explanation: str
    problem: str | None
    inputs: dict[str, float]


def _out(tried: Tried) -> dict[str, Any]:
    result = tried.result
    return {
        "gauge": result.code,
        "score": json_number(result.score),
        "max": written(result.max),
        "status": result.status,
        "status_label": tried.status_label,
        "explanation": result.explanation,
        "problem": result.problem,
        "inputs": {name: float(value) for name, value in result.inputs.items()},
    }


@router.get("/", response=list[CatalogueOut], summary="Catalogues the caller may see")
def list_catalogues(request: HttpRequest) -> Any:
    require(request.user, "catalogue.list")
    return catalogue_list(user=request.user)


@router.get("/{code}", response=dict[str, Any], summary="One catalogue as the file's data")
def get_catalogue(request: HttpRequest, code: str) -> dict[str, Any]:
    catalogue = visible_catalogue(request.user, code)
    require(request.user, "catalogue.export", catalogue)
    data = catalogue_to_data(engine_catalogue(catalogue))
    data["status"] = catalogue.status
    data["version"] = catalogue.version
    return data


@router.get(
    "/{code}/gauges/{gauge}/try",
    response=TryOut,
    summary="Score figures with one gauge's rule (the try form's parameters)",
)
def try_gauge_get(request: HttpRequest, code: str, gauge: str) -> dict[str, Any]:
    catalogue = visible_catalogue(request.user, code)
    require(request.user, "catalogue.try", catalogue)
    engine, indicator, found = catalogue_gauge(catalogue, gauge)
    answer, others_total = TryForm(request.GET, indicator=indicator, gauge=found).answer()
    return _out(try_rule(engine, indicator, found, answer, others_total))


@router.post(
    "/{code}/gauges/{gauge}/try",
    response=TryOut,
    summary="Score an answer object with one gauge's rule",
)
def try_gauge_post(request: HttpRequest, code: str, gauge: str, payload: TryIn) -> dict[str, Any]:
    catalogue = visible_catalogue(request.user, code)
    require(request.user, "catalogue.try", catalogue)
    engine, indicator, found = catalogue_gauge(catalogue, gauge)
    others = to_decimal(payload.others_total)
    return _out(try_rule(engine, indicator, found, payload.answer, others))
