"""Catalogues for the tests: a rich file using every part of the format, and small builders."""

import copy
from pathlib import Path
from typing import Any

from django.test import Client

from karnameh.agencies.models import Province
from karnameh.catalogue.models import Catalogue, Status
from karnameh.catalogue.store import save_new

HERE = Path(__file__).parent
RICH = HERE / "catalogues" / "rich.yaml"
SHIPPED = HERE.parents[2] / "catalogues" / "provincial-1397-general.yaml"

BANDS = {
    "kind": "cases",
    "value": "handled / received * 100 if received > 0 else 100",
    "cases": [
        {"when": "value >= 60", "share": 1, "label": "۶۰ درصد یا بیشتر"},
        {"when": "value >= 30", "share": 0.5, "label": "از ۳۰ تا کمتر از ۶۰ درصد"},
        {"share": 0, "label": "کمتر از ۳۰ درصد"},
    ],
}


def gauge(code: str, max_score: float, **more: Any) -> dict[str, Any]:
    return {
        "code": code,
        "title": f"نماگر {code}",
        "max_score": max_score,
        "method": "نظر ارزیاب",
        "rule": {"kind": "judgement"},
        **more,
    }


def complaints_data(code: str = "provincial-1398-test", *, year: int = 1398) -> dict[str, Any]:
    """Axis 6, indicator 6.4: gauge 6.4.1 with the complaint bands of 1397, and 6.4.2."""
    return {
        "format": "karnameh-catalogue/1",
        "code": code,
        "title": f"شاخص‌نامهٔ آزمایشی {year}",
        "year": year,
        "level": "provincial",
        "kind": "general",
        "not_applicable": "axis",
        "max_score": 10,
        "axes": [
            {
                "code": "6",
                "title": "محور ششم",
                "max_score": 10,
                "indicators": [
                    {
                        "code": "6.4",
                        "title": "رسیدگی به شکایات",
                        "unit": "percent",
                        "target": 100,
                        "max_score": 10,
                        "assessor": "governorate",
                        "evidence": "",
                        "legal_basis": "",
                        "allow_not_applicable": False,
                        "gauges": [
                            gauge(
                                "6.4.1",
                                7,
                                method="بازه‌های درصد پاسخ",
                                fields=[
                                    {
                                        "code": "received",
                                        "label": "شکایات دریافتی",
                                        "type": "integer",
                                    },
                                    {
                                        "code": "handled",
                                        "label": "شکایات رسیدگی‌شده",
                                        "type": "integer",
                                    },
                                ],
                                rule=copy.deepcopy(BANDS),
                            ),
                            gauge("6.4.2", 3),
                        ],
                    }
                ],
            }
        ],
    }


def sized_data(code: str, *, axes: int, indicators: int, gauges: int) -> dict[str, Any]:
    """A catalogue of judgement gauges, 5 points each, of the size asked."""
    return {
        "format": "karnameh-catalogue/1",
        "code": code,
        "title": f"شاخص‌نامهٔ {code}",
        "year": 1399,
        "level": "provincial",
        "kind": "general",
        "axes": [
            {
                "code": str(a),
                "title": f"محور {a}",
                "max_score": 5 * gauges * indicators,
                "indicators": [
                    {
                        "code": f"{a}.{i}",
                        "title": f"شاخص {a}.{i}",
                        "max_score": 5 * gauges,
                        "unit": "score",
                        "assessor": "finance",
                        "gauges": [
                            gauge(
                                f"{a}.{i}.{g}",
                                5,
                                fields=[{"code": "count", "label": "تعداد", "type": "integer"}],
                            )
                            for g in range(1, gauges + 1)
                        ],
                    }
                    for i in range(1, indicators + 1)
                ],
            }
            for a in range(1, axes + 1)
        ],
    }


def make(data: dict[str, Any], *, province: str | None = None, frozen: bool = False) -> Catalogue:
    catalogue = save_new(
        data,
        province=Province.objects.get(code=province) if province else None,
        status=Status.FROZEN if frozen else Status.DRAFT,
    )
    return catalogue


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="demo")
    return client
