"""The eight standing inquiries of seed 004 (Tehran's service-level agreement), as data.

Migration 0002 installs them (with a frozen copy of this table, as migrations must); a test
database emptied by a transactional test gets them back from ``install_standing``.

Bodies are the catalogue's codes for assessing bodies (``assessor`` in the catalogue files).
The seed names the finance directorate for the business environment; the 1397 catalogue gives
indicator 5.1 to ``business``, and the catalogue decides who scores what. «سادا» names no body
in the seed; the catalogue gives its gauge 5.2.1 to ``finance``.
"""

from typing import Any, NamedTuple


class Standing(NamedTuple):
    code: str
    title: str
    body: str
    body_name: str
    mode: str
    link: str
    covers: list[str]


STANDING: tuple[Standing, ...] = (
    Standing(
        "accrual",
        "حسابداری تعهدی",
        "finance",
        "اداره کل امور اقتصادی و دارایی",
        "manual",
        "",
        ["4.2"],
    ),
    Standing(
        "setad",
        "سامانه تدارکات الکترونیکی دولت (ستاد)",
        "ecommerce",
        "مرکز توسعه تجارت الکترونیکی وزارت صنعت، معدن و تجارت",
        "electronic",
        "http://setadiran.ir",
        [],
    ),
    Standing(
        "business",
        "بهبود فضای کسب و کار",
        "business",
        "دبیرخانه شورای گفت‌وگوی دولت و بخش خصوصی",
        "manual",
        "",
        [],
    ),
    Standing(
        "sada",
        "فضاهای اداری در سامانه سادا",
        "finance",
        "اداره کل امور اقتصادی و دارایی",
        "electronic",
        "https://sada.mefa.ir",
        ["5.2.1"],
    ),
    Standing(
        "prayer",
        "استقرار نظام جامع توسعه و ترویج فرهنگ اقامه نماز",
        "prayer",
        "ستاد اقامه نماز",
        "manual",
        "",
        [],
    ),
    Standing(
        "samad",
        "رسیدگی به شکایات مردمی در بستر سامد",
        "governorate",
        "استانداری",
        "manual",
        "",
        [],
    ),
    Standing(
        "accessibility",
        "مناسب‌سازی فضاهای اداری برای استفادهٔ معلولان و جانبازان",
        "welfare",
        "اداره کل بهزیستی",
        "manual",
        "",
        [],
    ),
    Standing(
        "green",
        "مدیریت سبز",
        "environment",
        "اداره کل حفاظت محیط زیست",
        "manual",
        "",
        [],
    ),
)


def install_standing(topic_model: Any = None, body_model: Any = None) -> int:
    """Add the standing topics (and their bodies) that are missing; returns how many were added.

    Existing rows are left as they are: staff may have changed a link or a body's name.
    """
    if topic_model is None or body_model is None:
        from karnameh.agencies.models import AssessingBody

        from .models import Topic

        topic_model, body_model = Topic, AssessingBody
    added = 0
    for position, row in enumerate(STANDING, start=1):
        if topic_model.objects.filter(code=row.code).exists():
            continue
        body, _created = body_model.objects.get_or_create(
            code=row.body, defaults={"name": row.body_name}
        )
        topic_model.objects.create(
            code=row.code,
            title=row.title,
            body=body,
            mode=row.mode,
            link=row.link,
            covers=row.covers,
            position=position,
        )
        added += 1
    return added
