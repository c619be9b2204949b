"""Properties that must hold for any catalogue and any answers (hypothesis).

``catalogues()`` draws catalogue files with every rule kind, field type, list tables, agreed
targets and both not-applicable modes; ``answers_for()`` draws answers that are sometimes
right, sometimes wrong, sometimes absent or not applicable.
"""

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from karnameh.scoring import (
    INVALID,
    MISSING,
    NOT_APPLICABLE,
    SCORED,
    AxisResult,
    Catalogue,
    IndicatorResult,
    Scorer,
    catalogue_from_data,
    catalogue_to_data,
    dump_catalogue,
    parse_catalogue,
)

from .builders import axis, catalogue, field, gauge, indicator, one_gauge, score_one

FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- Strategies
# Every strategy is built once, here: hypothesis validates a strategy the first time it draws
# from it, and building them inside the composites made that validation most of the run time.

TEXT = st.text(
    alphabet="ابپتجچخدرزسشعفقکگلمنوهی‌ ۰۱۲۳abcXYZ019:#'\"-*&!?{}[]%@`|>,.\n",
    min_size=1,
    max_size=24,
).filter(lambda text: text.strip() != "")
OPTIONAL_TEXT = st.one_of(st.just(""), TEXT)
SHARES = st.decimals(min_value=0, max_value=1, places=4)
MAXIMA = st.sampled_from(["1", "2.5", "7", "10", "12.75", "35", "0.1"]).map(Decimal)
OPTION_CODES = ["yes", "no", "complete", "partial", "not_done", "on", "off", "y", "null"]
TARGETS = st.one_of(st.just("*"), st.integers(0, 200).map(Decimal), st.decimals(0, 150, places=2))
MAYBE_TARGET = st.one_of(st.none(), TARGETS)
BOOLEANS = st.booleans()
KINDS = st.sampled_from(
    ["target", "cases", "choice", "checklist", "judgement", "formula", "convergence"]
)
FIELD_KINDS = st.lists(
    st.sampled_from(["number", "integer", "percent", "boolean", "choice"]), min_size=1, max_size=3
)
MINIMA = st.integers(-10, 10)
NUMBER_MAXIMA = st.sampled_from([100, 1000, Decimal("999.5")])
INTEGER_MAXIMA = st.integers(10, 1000)
DIRECTIONS = st.sampled_from(["higher", "lower"])
CHOICE_CODES = st.lists(st.sampled_from(OPTION_CODES), min_size=1, max_size=4, unique=True)
ITEM_COUNTS = st.integers(1, 3)
ASSESSORS = st.sampled_from(["finance", "ecommerce", "prayer-1"])
INDICATOR_ASSESSORS = st.sampled_from([None, "governorate", "welfare"])
UNITS = st.sampled_from(["percent", "number", "days", "score", "rial", None])
ORDINALS = st.lists(st.sampled_from([1, 2, 10]), min_size=1, max_size=2, unique=True)
COUNTS = st.integers(1, 3)
MODES = st.sampled_from(["axis", "total"])
CASE_COUNTS = st.integers(1, 3)
COMPARISONS = st.sampled_from([">=", "<=", "<", ">"])
BOUNDS = st.integers(0, 100)

# An expression over placeholders @0, @1, @2, which become the gauge's field codes.
EXPRESSIONS = st.recursive(
    st.one_of(
        st.sampled_from(["@0", "@1", "@2"]),
        st.integers(0, 100).map(str),
        st.decimals(min_value=0, max_value=1000, places=2).map(str),
    ),
    lambda children: st.one_of(
        st.tuples(children, st.sampled_from("+-*/"), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(children, st.sampled_from(["<", "<=", "==", ">="]), children, children).map(
            lambda t: f"({t[3]} if {t[0]} {t[1]} {t[2]} else {t[0]})"
        ),
        st.tuples(st.sampled_from(["min", "max"]), children, children).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        ),
        children.map(lambda c: f"abs({c})"),
        children.map(lambda c: f"round({c}, 2)"),
        children.map(lambda c: f"clamp({c}, 0, 100)"),
        children.map(lambda c: f"({c}) ** 2"),
        st.tuples(children, children).map(lambda t: f"({t[0]} > 1 and {t[1]} < 50)"),
    ),
    max_leaves=5,
)


def over(template: str, names: list[str]) -> str:
    for index in range(3):
        template = template.replace(f"@{index}", names[index % len(names)])
    return template


SERVICES = {
    "code": "rows",
    "title": "فهرست خدمات",
    "columns": [
        {
            "code": "status",
            "label": "وضعیت",
            "type": "choice",
            "options": ["done", "not_done", "not_applicable"],
            "labels": {"done": "انجام شد"},
        },
        {"code": "days", "label": "روز", "type": "number"},
        {"code": "online", "label": "برخط", "type": "boolean"},
        {"code": "note", "label": "توضیح", "type": "text"},
    ],
}


def _from(**source):
    return {"from": {"table": "rows", **source}}


FROM_FIELDS = st.lists(
    st.sampled_from(
        [
            field("t_pct", "percent", **_from(aggregate="percent", column="status", equals="done")),
            field("t_sum", "number", **_from(aggregate="sum", column="days")),
            field("t_count", "integer", **_from(aggregate="count")),
            field("t_online", "integer", **_from(aggregate="count", column="online", equals=True)),
            field("t_mean", "number", **_from(aggregate="mean", column="days")),
        ]
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda f: f["code"],
)


@st.composite
def field_lists(draw) -> tuple[list[dict], list[dict]]:
    """Fields of a gauge (at least one) and its tables."""
    fields = []
    for number, kind in enumerate(draw(FIELD_KINDS)):
        data = field(f"f{number}_{kind[:3]}", kind, label=draw(TEXT))
        if kind == "number" and draw(BOOLEANS):
            data["min"] = draw(MINIMA)
            data["max"] = draw(NUMBER_MAXIMA)
        if kind == "integer" and draw(BOOLEANS):
            data["max"] = draw(INTEGER_MAXIMA)
        if kind == "choice":
            data["options"] = {"low": 0, "mid": draw(SHARES), "high": 1}
            if draw(BOOLEANS):
                data["labels"] = {"low": draw(TEXT)}
        if draw(BOOLEANS):
            data["help"] = draw(TEXT)
        fields.append(data)
    if draw(BOOLEANS):
        fields.append(field("f_previous", "number", previous=fields[0]["code"]))
    tables = []
    if draw(BOOLEANS):
        tables = [SERVICES]
        fields += draw(FROM_FIELDS)
    return fields, tables


def split(total: Decimal, parts: int) -> list[Decimal]:
    """``total`` in ``parts`` pieces of at most two decimals that add up exactly."""
    piece = (total / parts).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    pieces = [piece] * (parts - 1)
    return [*pieces, total - sum(pieces, Decimal(0))]


@st.composite
def cases_lists(draw, name: str) -> list[dict]:
    entries = []
    for _ in range(draw(CASE_COUNTS)):
        condition = f"{name} {draw(COMPARISONS)} {draw(BOUNDS)}"
        entry = {"when": condition, "share": draw(SHARES)}
        if draw(BOOLEANS):
            entry["label"] = draw(TEXT)
        entries.append(entry)
    if draw(BOOLEANS):
        entries.append({"share": draw(SHARES)})
    return entries


@st.composite
def gauges(draw, code: str, indicator_target) -> dict:
    max_score = draw(MAXIMA)
    kind = draw(KINDS)
    fields, tables = draw(field_lists()) if kind in ("target", "cases", "formula") else ([], [])
    names = [f["code"] for f in fields]
    extra: dict = {}
    rule: dict[str, Any]
    if kind == "target":
        rule = {"kind": "target", "actual": over(draw(EXPRESSIONS), names)}
        if draw(BOOLEANS):
            rule["direction"] = draw(DIRECTIONS)
        own = draw(MAYBE_TARGET)
        if own is None and indicator_target is None:
            own = draw(TARGETS)
        if own is not None:
            extra["target"] = own
    elif kind == "cases":
        rule = {"kind": "cases", "cases": draw(cases_lists("value"))}
        rule["value"] = over(draw(EXPRESSIONS), names)
    elif kind == "choice":
        codes = draw(CHOICE_CODES)
        rule = {"kind": "choice", "options": {c: draw(SHARES) for c in codes}}
        if draw(BOOLEANS):
            rule["labels"] = {codes[0]: draw(TEXT)}
    elif kind == "checklist":
        points = split(max_score, draw(ITEM_COUNTS))
        rule = {
            "kind": "checklist",
            "items": [
                {"code": f"item{n}", "title": draw(TEXT), "points": p} for n, p in enumerate(points)
            ],
        }
    elif kind == "judgement":
        rule = {"kind": "judgement"}
    elif kind == "formula":
        rule = {"kind": "formula", "share": over(draw(EXPRESSIONS), names)}
    else:
        rule = {"kind": "convergence", "cases": draw(cases_lists("gap"))}
    if fields:
        extra["fields"] = fields
    if tables:
        extra["tables"] = tables
    for key in ("measure", "evidence", "note"):
        if draw(BOOLEANS):
            extra[key] = draw(TEXT)
    if draw(BOOLEANS):
        extra["assessor"] = draw(ASSESSORS)
    if draw(BOOLEANS):
        extra["allow_not_applicable"] = True
    data = gauge(code, max_score, rule, **extra)
    data["title"] = draw(TEXT)
    data["method"] = draw(OPTIONAL_TEXT)
    return data


@st.composite
def catalogues(draw) -> dict:
    axes = []
    for axis_number in range(1, draw(COUNTS) + 1):
        indicators = []
        for ordinal in draw(ORDINALS):
            code = f"{axis_number}.{ordinal}"
            target = draw(MAYBE_TARGET)
            found = [draw(gauges(f"{code}.{n}", target)) for n in range(1, draw(COUNTS) + 1)]
            extra = {key: draw(OPTIONAL_TEXT) for key in ("evidence", "legal_basis", "note")}
            indicators.append(
                indicator(
                    code,
                    *found,
                    target=target,
                    unit=draw(UNITS),
                    assessor=draw(INDICATOR_ASSESSORS),
                    allow_not_applicable=draw(BOOLEANS),
                    **extra,
                )
            )
        axes.append(axis(str(axis_number), *indicators))
    extra = {}
    if draw(BOOLEANS):
        extra["max_score"] = sum((Decimal(str(a["max_score"])) for a in axes), Decimal(0))
    if draw(BOOLEANS):
        extra["note"] = draw(TEXT)
    if draw(BOOLEANS):
        extra["source"] = draw(TEXT)
    data = catalogue(*axes, not_applicable=draw(MODES), **extra)
    data["title"] = draw(TEXT)
    return data


ROWS = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "status": st.sampled_from(["done", "not_done", "not_applicable", "bad"]),
            "days": st.one_of(st.integers(0, 60), st.just("x")),
            "online": st.booleans(),
            "note": TEXT,
        },
    ),
    max_size=4,
)
FIELD_VALUES = st.one_of(
    st.integers(-5, 1200),
    st.decimals(min_value=-5, max_value=1200, places=2),
    st.booleans(),
    st.sampled_from(["low", "mid", "high", "bad", "۱۲٫۵", "abc", ""]),
    st.none(),
)
ANSWER_MODES = st.sampled_from(["absent", "not_applicable", "answer", "answer", "answer"])
ANSWER_TARGETS = st.one_of(st.none(), st.decimals(-5, 200, places=2))
CHOSEN = st.sampled_from([*OPTION_CODES, "bad"])
CHECKED = st.lists(st.sampled_from(["item0", "item1", "item2", "bad"]))
GIVEN_SCORES = st.decimals(min_value=-1, max_value=40, places=3)
SELF_TOTALS = st.decimals(min_value=0, max_value=300, places=2)


@st.composite
def answers_for(draw, cat: Catalogue) -> dict:
    answers = {}
    for _indicator, the_gauge in cat.gauges():
        mode = draw(ANSWER_MODES)
        if mode == "absent":
            continue
        if mode == "not_applicable":
            answers[the_gauge.code] = {"not_applicable": True, "reason": draw(TEXT)}
            continue
        answer: dict = {"fields": {f.code: draw(FIELD_VALUES) for f in the_gauge.fields}}
        if the_gauge.tables and draw(BOOLEANS):
            answer["tables"] = {"rows": draw(ROWS)}
        answer["target"] = draw(ANSWER_TARGETS)
        answer["choice"] = draw(CHOSEN)
        answer["checked"] = draw(CHECKED)
        answer["score"] = draw(GIVEN_SCORES)
        answer["self_total"] = draw(SELF_TOTALS)
        answers[the_gauge.code] = answer
    return answers


@st.composite
def scored(draw):
    cat = catalogue_from_data(draw(catalogues()))
    return cat, draw(answers_for(cat))


# --- Properties


@FAST
@given(scored())
def test_every_score_lies_between_zero_and_its_maximum(case):
    # given
    cat, answers = case

    # when
    result = Scorer(cat).score(answers)

    # then
    for found in result.gauges():
        assert Decimal(0) <= found.score <= found.max
        assert found.status in (SCORED, MISSING, NOT_APPLICABLE, INVALID)
        assert found.score == found.score.quantize(Decimal("0.01")) or found.score == 0
        assert (found.problem is not None) == (found.status == INVALID)
    parts: list[IndicatorResult | AxisResult] = [*result.indicators(), *result.axes]
    for part in parts:
        assert Decimal(0) <= part.score <= part.max
    assert Decimal(0) <= result.total <= cat.max_score
    assert [code for code, _m in result.problems] == [
        g.code for g in result.gauges() if g.status == INVALID
    ]


@settings(max_examples=80, deadline=None)
@given(
    target=st.decimals(min_value=0, max_value=500, places=2),
    low=st.decimals(min_value=-100, max_value=1000, places=2),
    step=st.decimals(min_value=0, max_value=500, places=2),
    max_score=MAXIMA,
)
def test_target_scores_are_monotonic_in_the_actual_value(target, low, step, max_score):
    # given
    high = low + step
    higher = one_gauge(
        {"kind": "target"}, max_score=max_score, fields=[field("actual")], target=target
    )
    lower = one_gauge(
        {"kind": "target", "direction": "lower"},
        max_score=max_score,
        fields=[field("actual")],
        target=target,
    )

    # when
    def points(cat, actual):
        found = score_one(cat, {"fields": {"actual": actual}})
        assert found.status == SCORED
        return found.score

    # then: doing more never lowers a "higher" score, nor raises a "lower" one
    assert points(higher, low) <= points(higher, high)
    assert points(lower, low) >= points(lower, high)


NA_CHOICES = st.sampled_from(["score", "na", "absent"])


@st.composite
def not_applicable_cases(draw):
    axes = []
    answers = {}
    for a in range(1, draw(COUNTS) + 1):
        indicators = []
        for i in range(1, draw(COUNTS) + 1):
            gauges_here = []
            for g in range(1, draw(COUNTS) + 1):
                code = f"{a}.{i}.{g}"
                top = draw(MAXIMA)
                gauges_here.append(gauge(code, top, allow_not_applicable=True))
                choice = draw(NA_CHOICES)
                if choice == "score":
                    given = (top * draw(SHARES)).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
                    answers[code] = {"score": given}
                elif choice == "na":
                    answers[code] = {"not_applicable": True}
            indicators.append(indicator(f"{a}.{i}", *gauges_here))
        axes.append(axis(str(a), *indicators))
    mode = draw(MODES)
    return catalogue_from_data(catalogue(*axes, not_applicable=mode)), answers


@settings(max_examples=100, deadline=None)
@given(not_applicable_cases())
def test_rescaling_never_gives_more_than_the_maximum(case):
    # given
    cat, answers = case

    # when
    result = Scorer(cat).score(answers)

    # then
    for found in result.axes:
        assert Decimal(0) <= found.score <= found.max
    assert Decimal(0) <= result.total <= cat.max_score
    earned = sum((g.score for g in result.gauges()), Decimal(0))
    if not any(g.status == NOT_APPLICABLE for g in result.gauges()):
        assert result.total == earned
    else:
        assert result.total >= earned.quantize(Decimal("0.01")) - Decimal("0.01") * len(cat.axes)


@FAST
@given(catalogues())
def test_load_export_load_is_the_identity(data):
    # given
    cat = catalogue_from_data(data)

    # when
    text = dump_catalogue(cat)
    again = parse_catalogue(text, name="exported.yaml")

    # then
    assert catalogue_to_data(again) == catalogue_to_data(cat)
    assert dump_catalogue(again) == text
