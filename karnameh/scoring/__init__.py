"""The scoring engine: catalogues in, Decimal scores and explanations out. No Django here.

    catalogue = load_catalogue("catalogues/provincial-1397-general.yaml")
    result = Scorer(catalogue).score({"6.4.1": {"fields": {"received": 200, "handled": 119}}})

See docs/scoring.md for the rules and the decisions behind them.
"""

from .answers import AnswersError, load_answers, parse_answers
from .dump import catalogue_to_data, dump_catalogue
from .engine import (
    INVALID,
    MISSING,
    NOT_APPLICABLE,
    SCORED,
    AxisResult,
    CatalogueResult,
    GaugeResult,
    IndicatorResult,
    Scorer,
    collector_paused,
    score_catalogue,
    score_gauge,
)
from .expressions import EvaluationError, ExpressionError, compile_expression
from .files import CatalogueError
from .loader import catalogue_from_data, load_catalogue, parse_catalogue
from .model import Axis, Catalogue, Field, Gauge, Indicator
from .report import result_to_data, result_to_json
from .rules import Env

__all__ = [
    "INVALID",
    "MISSING",
    "NOT_APPLICABLE",
    "SCORED",
    "AnswersError",
    "Axis",
    "AxisResult",
    "Catalogue",
    "CatalogueError",
    "CatalogueResult",
    "Env",
    "EvaluationError",
    "ExpressionError",
    "Field",
    "Gauge",
    "GaugeResult",
    "Indicator",
    "IndicatorResult",
    "Scorer",
    "catalogue_from_data",
    "catalogue_to_data",
    "collector_paused",
    "compile_expression",
    "dump_catalogue",
    "load_answers",
    "load_catalogue",
    "parse_answers",
    "parse_catalogue",
    "result_to_data",
    "result_to_json",
    "score_catalogue",
    "score_gauge",
]
