"""The eight standing inquiries of seed 004, with their assessing bodies where missing.

A frozen copy of ``karnameh.inquiries.standing.STANDING`` as it was when this migration was
written: a migration must not change meaning when the code moves on.
"""

from django.db import migrations

STANDING = [
    ("accrual", "حسابداری تعهدی", "finance", "اداره کل امور اقتصادی و دارایی", "manual", "", ["4.2"]),
    (
        "setad",
        "سامانه تدارکات الکترونیکی دولت (ستاد)",
        "ecommerce",
        "مرکز توسعه تجارت الکترونیکی وزارت صنعت، معدن و تجارت",
        "electronic",
        "http://setadiran.ir",
        [],
    ),
    ("business", "بهبود فضای کسب و کار", "business", "دبیرخانه شورای گفت‌وگوی دولت و بخش خصوصی", "manual", "", []),
    (
        "sada",
        "فضاهای اداری در سامانه سادا",
        "finance",
        "اداره کل امور اقتصادی و دارایی",
        "electronic",
        "https://sada.mefa.ir",
        ["5.2.1"],
    ),
    ("prayer", "استقرار نظام جامع توسعه و ترویج فرهنگ اقامه نماز", "prayer", "ستاد اقامه نماز", "manual", "", []),
    ("samad", "رسیدگی به شکایات مردمی در بستر سامد", "governorate", "استانداری", "manual", "", []),
    (
        "accessibility",
        "مناسب‌سازی فضاهای اداری برای استفادهٔ معلولان و جانبازان",
        "welfare",
        "اداره کل بهزیستی",
        "manual",
        "",
        [],
    ),
    ("green", "مدیریت سبز", "environment", "اداره کل حفاظت محیط زیست", "manual", "", []),
]


def install(apps, schema_editor):
    Topic = apps.get_model("inquiries", "Topic")
    AssessingBody = apps.get_model("agencies", "AssessingBody")
    for position, (code, title, body, body_name, mode, link, covers) in enumerate(STANDING, 1):
        if Topic.objects.filter(code=code).exists():
            continue
        found, _created = AssessingBody.objects.get_or_create(code=body, defaults={"name": body_name})
        Topic.objects.create(
            code=code, title=title, body=found, mode=mode, link=link, covers=covers, position=position
        )


def remove(apps, schema_editor):
    Topic = apps.get_model("inquiries", "Topic")
    Topic.objects.filter(code__in=[row[0] for row in STANDING], inquiries__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
