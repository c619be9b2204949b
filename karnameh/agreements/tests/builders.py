"""Specific catalogues and complete sets of targets for the MoU tests."""

from decimal import Decimal
from typing import Any

from karnameh.agencies.models import Province
from karnameh.agreements.selectors import targets_needed
from karnameh.catalogue.models import Catalogue, Status
from karnameh.catalogue.store import save_new
from karnameh.cycles.models import Participation


def specific_data(code: str, *, year: int = 1403, level: str = "provincial") -> dict[str, Any]:
    """One axis, one indicator with an MoU target (gauge S.1.1) and a judgement gauge S.1.2."""
    return {
        "format": "karnameh-catalogue/1",
        "code": code,
        "title": f"شاخص‌های اختصاصی {code}",
        "year": year,
        "level": level,
        "kind": "specific",
        "axes": [
            {
                "code": "S",
                "title": "محور اختصاصی",
                "max_score": 10,
                "indicators": [
                    {
                        "code": "S.1",
                        "title": "پوشش خدمات",
                        "unit": "percent",
                        "target": "*",
                        "max_score": 10,
                        "gauges": [
                            {
                                "code": "S.1.1",
                                "title": "درصد پوشش",
                                "max_score": 6,
                                "method": "تحقق هدف",
                                "fields": [{"code": "actual", "label": "پوشش", "type": "percent"}],
                                "rule": {"kind": "target", "actual": "actual"},
                            },
                            {
                                "code": "S.1.2",
                                "title": "کیفیت",
                                "max_score": 4,
                                "method": "نظر ارزیاب",
                                "target": 100,
                                "rule": {"kind": "judgement"},
                            },
                        ],
                    }
                ],
            }
        ],
    }


def specific(
    code: str = "ardabil-1403-ed-specific",
    *,
    province: str | None = "ardabil",
    level: str = "provincial",
    year: int = 1403,
    frozen: bool = False,
) -> Catalogue:
    return save_new(
        specific_data(code, year=year, level=level),
        province=Province.objects.get(code=province) if province else None,
        status=Status.FROZEN if frozen else Status.DRAFT,
    )


def all_targets(participation: Participation, value: str = "80") -> dict[tuple[str, str], Any]:
    return {(part, g.code): value for part, _i, g in targets_needed(participation)}


def as_decimal(values: dict[tuple[str, str], Any]) -> dict[tuple[str, str], Decimal]:
    return {key: Decimal(str(v)) for key, v in values.items()}
