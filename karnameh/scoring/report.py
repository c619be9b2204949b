"""A scoring result as the contract's JSON document (the output of ``karnameh score``)."""

import json
from typing import Any

from .engine import CatalogueResult
from .numbers import json_number, written


def result_to_data(result: CatalogueResult) -> dict[str, Any]:
    """Exactly the contract's keys, in its order; numbers with at most two decimals."""
    return {
        "catalogue": result.catalogue,
        "total": json_number(result.total),
        "max": written(result.max),
        "axes": [
            {
                "code": axis.code,
                "score": json_number(axis.score),
                "max": written(axis.max),
                "status": axis.status,
                "indicators": [
                    {
                        "code": indicator.code,
                        "score": json_number(indicator.score),
                        "max": written(indicator.max),
                        "status": indicator.status,
                        "gauges": [
                            {
                                "code": gauge.code,
                                "score": json_number(gauge.score),
                                "max": written(gauge.max),
                                "status": gauge.status,
                                "explanation": gauge.explanation,
                            }
                            for gauge in indicator.gauges
                        ],
                    }
                    for indicator in axis.indicators
                ],
            }
            for axis in result.axes
        ],
        "problems": [{"gauge": code, "message": message} for code, message in result.problems],
    }


def result_to_json(result: CatalogueResult) -> str:
    return json.dumps(result_to_data(result), ensure_ascii=False, indent=2)
