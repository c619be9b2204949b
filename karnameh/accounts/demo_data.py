"""The demo province: believable names, several agency types, units with county units.

Data only; ``karnameh demo`` (management/commands/demo.py) loads it.
"""

PROVINCES = [("ardabil", "اردبیل"), ("ilam", "ایلام")]

AGENCY_TYPES = [
    ("governance", "حاکمیتی"),
    ("economic", "اقتصادی و زیربنایی"),
    ("social", "اجتماعی و فرهنگی"),
    ("health", "بهداشت و درمان"),
    ("services", "خدمات عمومی و شهری"),
]

ASSESSING_BODIES = [
    ("finance", "اداره کل امور اقتصادی و دارایی (حسابداری تعهدی و سامانهٔ سادا)"),
    ("ecommerce", "مرکز توسعهٔ تجارت الکترونیکی (سامانهٔ ستاد)"),
    ("business", "دبیرخانهٔ شورای گفت‌وگوی دولت و بخش خصوصی (محیط کسب‌وکار)"),
    ("prayer", "ستاد اقامهٔ نماز"),
    ("governorate", "استانداری (سامانهٔ سامد، رسیدگی به شکایات)"),
    ("welfare", "اداره کل بهزیستی (مناسب‌سازی برای معلولان)"),
    ("environment", "اداره کل حفاظت محیط زیست (مدیریت سبز)"),
]

# (code, name, agency type) of national headquarters and their affiliated organizations.
HEADQUARTERS = [
    ("ED", "وزارت آموزش و پرورش", "social"),
    ("HE", "وزارت بهداشت، درمان و آموزش پزشکی", "health"),
    ("EF", "وزارت امور اقتصادی و دارایی", "economic"),
    ("RD", "وزارت راه و شهرسازی", "economic"),
    ("AG", "وزارت جهاد کشاورزی", "economic"),
    ("WE", "وزارت تعاون، کار و رفاه اجتماعی", "social"),
    ("CU", "وزارت فرهنگ و ارشاد اسلامی", "social"),
    ("IN", "وزارت صنعت، معدن و تجارت", "economic"),
    ("EN", "وزارت نیرو", "services"),
    ("IC", "وزارت کشور", "governance"),
    ("SP", "وزارت ورزش و جوانان", "social"),
    ("JU", "سازمان ثبت اسناد و املاک کشور", "governance"),
    ("CH", "وزارت میراث فرهنگی، گردشگری و صنایع دستی", "social"),
    ("STD", "سازمان ملی استاندارد ایران", "governance"),
    ("OIL", "وزارت نفت", "services"),
]
AFFILIATED = [
    ("EF-TAX", "سازمان امور مالیاتی کشور", "EF", "economic"),
    ("EF-CUS", "گمرک جمهوری اسلامی ایران", "EF", "economic"),
    ("WE-WEL", "سازمان بهزیستی کشور", "WE", "social"),
    ("WE-SSO", "سازمان تأمین اجتماعی", "WE", "services"),
    ("AG-NAT", "سازمان منابع طبیعی و آبخیزداری کشور", "AG", "economic"),
    ("RD-RAIL", "شرکت راه‌آهن جمهوری اسلامی ایران", "RD", "economic"),
    ("RD-ROAD", "سازمان راهداری و حمل‌ونقل جاده‌ای", "RD", "economic"),
    ("AG-VET", "سازمان دامپزشکی کشور", "AG", "economic"),
    ("IC-REG", "سازمان ثبت احوال کشور", "IC", "governance"),
    ("WE-TVT", "سازمان آموزش فنی و حرفه‌ای کشور", "WE", "social"),
    ("OIL-GAS", "شرکت ملی گاز ایران", "OIL", "services"),
]

# (code, name, parent code, type, counties) of the provincial units; each county listed gets a
# county unit named after the local office («ادارهٔ … شهرستان …»).
ARDABIL_UNITS: list[tuple[str, str, str, str, list[str]]] = [
    (
        "AR-ED",
        "ادارهٔ کل آموزش و پرورش استان اردبیل",
        "ED",
        "social",
        ["مشگین‌شهر", "پارس‌آباد", "خلخال", "گرمی"],
    ),
    (
        "AR-HE",
        "دانشگاه علوم پزشکی و خدمات بهداشتی درمانی اردبیل",
        "HE",
        "health",
        ["مشگین‌شهر", "پارس‌آباد"],
    ),
    ("AR-EF", "ادارهٔ کل امور اقتصادی و دارایی استان اردبیل", "EF", "economic", []),
    (
        "AR-TAX",
        "ادارهٔ کل امور مالیاتی استان اردبیل",
        "EF-TAX",
        "economic",
        ["خلخال", "مشگین‌شهر", "پارس‌آباد"],
    ),
    ("AR-CUS", "گمرک اردبیل", "EF-CUS", "economic", []),
    ("AR-RD", "ادارهٔ کل راه و شهرسازی استان اردبیل", "RD", "economic", []),
    (
        "AR-AG",
        "سازمان جهاد کشاورزی استان اردبیل",
        "AG",
        "economic",
        ["مشگین‌شهر", "پارس‌آباد", "بیله‌سوار", "نمین"],
    ),
    ("AR-NAT", "ادارهٔ کل منابع طبیعی و آبخیزداری استان اردبیل", "AG-NAT", "economic", []),
    ("AR-WE", "ادارهٔ کل تعاون، کار و رفاه اجتماعی استان اردبیل", "WE", "social", []),
    ("AR-WEL", "ادارهٔ کل بهزیستی استان اردبیل", "WE-WEL", "social", ["گرمی", "مشگین‌شهر"]),
    ("AR-SSO", "ادارهٔ کل تأمین اجتماعی استان اردبیل", "WE-SSO", "services", []),
    ("AR-CU", "ادارهٔ کل فرهنگ و ارشاد اسلامی استان اردبیل", "CU", "social", []),
    ("AR-IN", "سازمان صنعت، معدن و تجارت استان اردبیل", "IN", "economic", []),
    ("AR-EN", "شرکت آب منطقه‌ای اردبیل", "EN", "services", []),
    ("AR-IC", "استانداری اردبیل", "IC", "governance", []),
    ("AR-SP", "ادارهٔ کل ورزش و جوانان استان اردبیل", "SP", "social", []),
    ("AR-JU", "ادارهٔ کل ثبت اسناد و املاک استان اردبیل", "JU", "governance", []),
    ("AR-CH", "ادارهٔ کل میراث فرهنگی، گردشگری و صنایع دستی استان اردبیل", "CH", "social", []),
    ("AR-STD", "ادارهٔ کل استاندارد استان اردبیل", "STD", "governance", []),
    ("AR-GAS", "شرکت گاز استان اردبیل", "OIL-GAS", "services", []),
    ("AR-ROAD", "ادارهٔ کل راهداری و حمل‌ونقل جاده‌ای استان اردبیل", "RD-ROAD", "economic", []),
    ("AR-VET", "ادارهٔ کل دامپزشکی استان اردبیل", "AG-VET", "economic", []),
    ("AR-REG", "ادارهٔ کل ثبت احوال استان اردبیل", "IC-REG", "governance", []),
    ("AR-TVT", "ادارهٔ کل آموزش فنی و حرفه‌ای استان اردبیل", "WE-TVT", "social", []),
    ("AR-RAIL", "ادارهٔ کل راه‌آهن شمال غرب", "RD-RAIL", "economic", []),
]
# A few units in a second province, so that "another province" can be shown and tested.
ILAM_UNITS: list[tuple[str, str, str, str, list[str]]] = [
    ("IL-ED", "ادارهٔ کل آموزش و پرورش استان ایلام", "ED", "social", []),
    ("IL-TAX", "ادارهٔ کل امور مالیاتی استان ایلام", "EF-TAX", "economic", []),
    ("IL-IC", "استانداری ایلام", "IC", "governance", []),
]

# username: (first name, last name, role, scope kind, scope code, extra)
USERS: dict[str, tuple[str, str, str, str | None, str | None, dict[str, str]]] = {
    "admin": ("مهدی", "رضایی", "admin", None, None, {}),
    "staff": ("زهرا", "محمدی", "staff", "province", "ardabil", {}),
    "evaluator": (
        "علی",
        "حسینی",
        "evaluator",
        "province",
        "ardabil",
        {"evaluator_scope": "general", "evaluator_origin": "internal"},
    ),
    "agency": ("مریم", "کریمی", "agency", "agency", "AR-ED", {}),
    "office": ("رضا", "احمدی", "performance_office", "agency", "AR-ED", {}),
    "hq": ("فاطمه", "موسوی", "hq", "agency", "ED", {}),
    "assessor": ("حسن", "جعفری", "assessor", "assessing_body", "welfare", {}),
    "deputy": ("محمد", "نوری", "deputy", "province", "ardabil", {}),
    "council": ("سارا", "قاسمی", "council", "province", "ardabil", {}),
    "national": ("حمید", "صادقی", "national", None, None, {}),
}
# The demo's documented password; the demo refuses to load in production.
DEMO_PASSWORD = "demo"  # noqa: S105  # nosec B105  # the demo's published password
