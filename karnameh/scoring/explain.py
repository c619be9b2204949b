"""The words: every score's one-line explanation, and each rule described for staff, in Persian.

Rules compute; this module writes. A score's sentence is built from the exact figures the rule
used, only when someone reads it (``GaugeResult.explanation``): writing a number in Persian
digits costs about as much as scoring the gauge, and a national rescoring needs the points of
three hundred thousand gauges long before anyone reads their sentences.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .model import STAR
from .numbers import HUNDRED, fa, round2

if TYPE_CHECKING:
    from .rules import (
        CasesRule,
        ChecklistRule,
        ChoiceRule,
        ConvergenceRule,
        FormulaRule,
        Item,
        Rule,
        TargetRule,
    )


def percent(share: Decimal) -> str:
    return f"{fa(round2(share * HUNDRED))}٪"


def pairs(values: Mapping[str, Decimal], names: tuple[str, ...]) -> str:
    return "، ".join(f"{name}={fa(values[name])}" for name in names)


def inputs(values: Mapping[str, Decimal], names: tuple[str, ...]) -> str:
    return f" ({pairs(values, names)})" if names else ""


def _tail(rule: "Rule", share: Decimal, points: Decimal) -> str:
    return f" → {percent(share)} × {fa(rule.spec.max_score)} = {fa(points)}"


# --- One line per score


def missing(top: Decimal) -> str:
    return f"بی‌پاسخ → ۰ از {fa(top)}"


def not_applicable(top: Decimal, reason: str) -> str:
    why = f" (دلیل: {reason})" if reason else ""
    return f"عدم مصداق{why}: سقف {fa(top)} از حساب کنار گذاشته شد"


def invalid(message: str, top: Decimal) -> str:
    return f"نامعتبر: {message} → ۰ از {fa(top)}"


def target(
    rule: "TargetRule",
    actual: Decimal,
    goal: Decimal,
    ratio: Decimal | None,
    share: Decimal,
    points: Decimal,
    values: dict[str, Decimal],
) -> str:
    names = rule.actual.names
    shown = inputs(values, names) if names != (rule.actual.source,) else ""
    said = f"واقعی {fa(actual)}{shown}"
    goal_text = f"هدف تفاهم‌نامه {fa(goal)}" if rule.spec.target == STAR else f"هدف {fa(goal)}"
    if rule.direction == "higher":
        if ratio is None:
            text = f"{said}؛ {goal_text} (هر مقداری کامل است)"
        else:
            text = f"{said} از {goal_text}"
            if share != ratio:
                text += f" = {percent(ratio)}، {'حداکثر' if ratio > 1 else 'حداقل'}"
    elif ratio is None:
        text = f"{said} ≤ {goal_text}"
    else:
        text = f"{said} > {goal_text}: {fa(goal)} ÷ {fa(actual)}"
    return text + _tail(rule, share, points)


def _band(rule: "CasesRule", index: int) -> str:
    if index < 0:
        return "هیچ حالتی برقرار نیست"
    if rule.labels[index]:
        return f"«{rule.labels[index]}»"
    source = rule.cases.sources[index]
    return f"شرط «{source}»" if source else "سایر حالت‌ها"


def cases(
    rule: "CasesRule",
    value: Decimal | None,
    index: int,
    share: Decimal,
    points: Decimal,
    values: dict[str, Decimal],
) -> str:
    names = rule.cases.names
    if value is not None:
        head = f"مقدار {fa(value)}{inputs(values, names)}: "
    else:
        head = f"{pairs(values, names)}: " if names else ""
    return head + _band(rule, index) + _tail(rule, share, points)


def convergence(
    rule: "ConvergenceRule",
    own: Decimal,
    final: Decimal,
    top: Decimal,
    gap: Decimal,
    index: int,
    share: Decimal,
    points: Decimal,
) -> str:
    head = f"فاصله |{fa(own)} − {fa(final)}| ÷ {fa(top)} × ۱۰۰ = {fa(round2(gap))}٪"
    return f"{head}: {_band(rule, index)}" + _tail(rule, share, points)


def choice(rule: "ChoiceRule", chosen: str, share: Decimal, points: Decimal) -> str:
    return f"گزینهٔ «{rule.label(chosen)}»" + _tail(rule, share, points)


def checklist(rule: "ChecklistRule", done: list["Item"], points: Decimal) -> str:
    listed = "، ".join(f"{item.code} ({fa(item.points)})" for item in done) or "هیچ"
    return f"موارد انجام‌شده: {listed} → {fa(points)} از {fa(rule.spec.max_score)}"


def judgement(rule: "Rule", points: Decimal) -> str:
    return f"امتیاز ارزیاب: {fa(points)} از {fa(rule.spec.max_score)}"


def formula(
    rule: "FormulaRule", raw: Decimal, share: Decimal, points: Decimal, values: dict[str, Decimal]
) -> str:
    text = f"سهم {rule.share.source}{inputs(values, rule.share.names)} = {fa(raw)}"
    if share != raw:
        text += f"، {'حداکثر ۱' if raw > 1 else 'حداقل ۰'}"
    return text + _tail(rule, share, points)


# --- Each rule described for staff browsing a catalogue


def describe(rule: "Rule") -> list[str]:
    """The rule in Persian, a line each."""
    kind = rule.kind
    lines: list[str]
    if kind == "target":
        r: Any = rule
        goal = (
            "هدف تفاهم‌نامه (برای هر دستگاه)"
            if r.spec.target == STAR
            else f"هدف {fa(r.spec.target)}"
        )
        lines = [f"مقدار واقعی: {r.actual.source}"]
        if r.direction == "higher":
            lines.append(f"امتیاز = سقف × (واقعی ÷ {goal})، حداکثر سقف و حداقل صفر")
        else:
            lines.append(f"اگر واقعی ≤ {goal} امتیاز کامل، وگرنه سقف × هدف ÷ واقعی")
    elif kind in ("cases", "convergence"):
        r = rule
        lines = []
        if kind == "convergence":
            lines.append("فاصله (gap) = |جمع خودارزیابی − جمع نهایی دیگر نماگرها| ÷ سقف کل × ۱۰۰")
        if r.cases.value_source:
            lines.append(f"مقدار: {r.cases.value_source}")
        for index, share in enumerate(r.shares):
            source = r.cases.sources[index]
            condition = f"اگر {source}" if source else "در غیر این صورت"
            label = f" («{r.labels[index]}»)" if r.labels[index] else ""
            lines.append(f"{condition}{label}: {percent(share)} سقف")
        if r.cases.sources[-1] is not None:
            lines.append("اگر هیچ حالتی برقرار نباشد: صفر")
    elif kind == "choice":
        r = rule
        parts = [f"{r.label(code)}: {percent(share)}" for code, share in r.options.items()]
        lines = ["یک گزینه: " + "، ".join(parts) + " سقف"]
    elif kind == "checklist":
        r = rule
        lines = ["جمع امتیاز موارد انجام‌شده:"] + [
            f"{item.code}) {item.title}: {fa(item.points)}" for item in r.items
        ]
    elif kind == "formula":
        r = rule
        lines = [f"سهم = {r.share.source} (از ۰ تا ۱)", "امتیاز = سقف × سهم"]
    else:
        lines = [f"ارزیاب امتیاز را از ۰ تا {fa(rule.spec.max_score)} می‌دهد"]
    return lines
