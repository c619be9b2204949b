"""The rule kinds of the contract: each reads, scores, explains, describes and writes itself.

A rule is bound to its gauge when the catalogue loads (its maximum, fields and target), so
scoring one answer is one method call. ``score`` returns the points, a one-line Persian
explanation with the inputs and the arithmetic, and the inputs it read.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from .expressions import Cases, Expression, ExpressionError, compile_cases, compile_expression
from .fields import Invalid, read_fields
from .model import OPTION_LABELS, STAR, Field, Table, Target
from .numbers import HUNDRED, ONE, ZERO, fa, round2, to_decimal


class RuleError(ValueError):
    """A rule that cannot be loaded; ``message`` is Persian and names the problem."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Spec:
    """What a rule needs to know of its gauge."""

    code: str
    max_score: Decimal
    fields: tuple[Field, ...]
    tables: tuple[Table, ...]
    target: Target


@dataclass(slots=True)
class Env:
    """What a rule needs to know of the rest of the scoring: used by ``convergence``."""

    catalogue_max: Decimal
    others_total: Decimal | None = None


Scored = tuple[Decimal, str, dict[str, Decimal]]


def _share_number(raw: Any, where: str) -> Decimal:
    number = to_decimal(raw) if not isinstance(raw, str) else None
    if number is None or not ZERO <= number <= ONE:
        raise RuleError(f"{where}: سهم باید عددی از ۰ تا ۱ باشد، نه «{raw}»")
    return number


def _out(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def _keys(data: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed - {"kind"})
    if unknown:
        raise RuleError(f"کلید ناشناخته در قاعده: {', '.join(unknown)}")


def _percent(share: Decimal) -> str:
    return f"{fa(round2(share * HUNDRED))}٪"


def _pairs(values: Mapping[str, Decimal], names: tuple[str, ...]) -> str:
    return "، ".join(f"{name}={fa(values[name])}" for name in names)


def _inputs(values: Mapping[str, Decimal], names: tuple[str, ...]) -> str:
    return f" ({_pairs(values, names)})" if names else ""


class Rule(ABC):
    kind: ClassVar[str]

    def __init__(self, spec: Spec, data: Mapping[str, Any], names: set[str]) -> None:
        self.spec = spec

    @abstractmethod
    def score(self, answer: Mapping[str, Any], env: Env) -> Scored:
        """Points, explanation and inputs for one answer; ``Invalid`` when it can't be scored."""

    @abstractmethod
    def describe(self) -> list[str]:
        """The rule in Persian, a line each, for staff browsing the catalogue."""

    @abstractmethod
    def to_data(self) -> dict[str, Any]:
        """The rule as the catalogue file writes it."""

    def _fields(self, answer: Mapping[str, Any]) -> dict[str, Decimal]:
        return read_fields(self.spec.fields, self.spec.tables, answer)

    def _result(self, share: Decimal, text: str, values: dict[str, Decimal]) -> Scored:
        points = round2(self.spec.max_score * share)
        return (
            points,
            f"{text} → {_percent(share)} × {fa(self.spec.max_score)} = {fa(points)}",
            values,
        )


class TargetRule(Rule):
    kind = "target"

    def __init__(self, spec: Spec, data: Mapping[str, Any], names: set[str]) -> None:
        _keys(data, {"actual", "direction"})
        super().__init__(spec, data, names)
        self.direction = data.get("direction", "higher")
        if self.direction not in ("higher", "lower"):
            raise RuleError(f"جهت «{self.direction}» تعریف نشده است (higher یا lower)")
        if spec.target is None:
            raise RuleError("قاعدهٔ target هدف می‌خواهد، اما نه نماگر و نه شاخص هدفی ندارند")
        self.actual: Expression = compile_expression(data.get("actual", "actual"), names)

    def score(self, answer: Mapping[str, Any], env: Env) -> Scored:
        values = self._fields(answer)
        actual = self.actual.evaluate(values)
        if self.spec.target == STAR:
            target = to_decimal(answer.get("target"))
            if target is None:
                raise Invalid("هدف این نماگر در تفاهم‌نامه تعیین می‌شود و داده نشده است")
            target_text = f"هدف تفاهم‌نامه {fa(target)}"
        else:
            assert isinstance(self.spec.target, Decimal)
            target = self.spec.target
            target_text = f"هدف {fa(target)}"
        shown = self.actual.names != (self.actual.source,)
        actual_text = f"واقعی {fa(actual)}" + (_inputs(values, self.actual.names) if shown else "")
        if self.direction == "higher":
            if target <= 0:
                return self._result(
                    ONE, f"{actual_text}؛ {target_text} (هر مقداری کامل است)", values
                )
            ratio = actual / target
            share = ZERO if ratio < 0 else ONE if ratio > 1 else ratio
            text = f"{actual_text} از {target_text}"
            if share != ratio:
                text += f" = {_percent(ratio)}، {'حداکثر' if ratio > 1 else 'حداقل'}"
            return self._result(share, text, values)
        if actual <= target:
            return self._result(ONE, f"{actual_text} ≤ {target_text}", values)
        if actual == 0:
            raise Invalid("تقسیم بر صفر: مقدار واقعی صفر و هدف منفی است")
        ratio = target / actual
        share = ZERO if ratio < 0 else ratio
        return self._result(
            share, f"{actual_text} > {target_text}: {fa(target)} ÷ {fa(actual)}", values
        )

    def describe(self) -> list[str]:
        target = (
            "هدف تفاهم‌نامه (برای هر دستگاه)"
            if self.spec.target == STAR
            else (
                f"هدف {fa(self.spec.target)}"  # type: ignore[arg-type]
            )
        )
        lines = [f"مقدار واقعی: {self.actual.source}"]
        if self.direction == "higher":
            lines.append(f"امتیاز = سقف × (واقعی ÷ {target})، حداکثر سقف و حداقل صفر")
        else:
            lines.append(f"اگر واقعی ≤ {target} امتیاز کامل، وگرنه سقف × هدف ÷ واقعی")
        return lines

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        if self.actual.source != "actual":
            data["actual"] = self.actual.source
        if self.direction != "higher":
            data["direction"] = self.direction
        return data


class CasesRule(Rule):
    kind = "cases"
    variable = "value"

    def __init__(self, spec: Spec, data: Mapping[str, Any], names: set[str]) -> None:
        _keys(data, self._allowed_keys())
        super().__init__(spec, data, names)
        entries = data.get("cases")
        if not isinstance(entries, list) or not entries:
            raise RuleError("«cases» باید فهرستی از حالت‌ها باشد")
        self.shares: list[Decimal] = []
        self.labels: list[str] = []
        conditions: list[object | None] = []
        for number, entry in enumerate(entries, start=1):
            where = f"حالت {fa(number)}"
            if not isinstance(entry, Mapping):
                raise RuleError(f"{where}: باید شیئی با when و share باشد")
            unknown = sorted(set(entry) - {"when", "share", "label"})
            if unknown:
                raise RuleError(f"{where}: کلید ناشناخته {', '.join(unknown)}")
            if "share" not in entry:
                raise RuleError(f"{where}: سهم (share) ندارد")
            if "when" not in entry and number != len(entries):
                raise RuleError(f"{where}: فقط حالت آخر می‌تواند بدون شرط (when) باشد")
            self.shares.append(_share_number(entry["share"], where))
            label = entry.get("label", "")
            if not isinstance(label, str):
                raise RuleError(f"{where}: برچسب باید متن باشد")
            self.labels.append(label)
            conditions.append(entry.get("when"))
        self.cases: Cases = self._compile(data, conditions, names)

    def _allowed_keys(self) -> set[str]:
        return {"value", "cases"}

    def _compile(self, data: Mapping[str, Any], conditions: list[Any], names: set[str]) -> Cases:
        return compile_cases(data.get("value"), conditions, names)

    def _band(self, index: int) -> str:
        if index < 0:
            return "هیچ حالتی برقرار نیست"
        if self.labels[index]:
            return f"«{self.labels[index]}»"
        source = self.cases.sources[index]
        return f"شرط «{source}»" if source else "سایر حالت‌ها"

    def score(self, answer: Mapping[str, Any], env: Env) -> Scored:
        values = self._fields(answer)
        value, index = self.cases.evaluate(values)
        share = self.shares[index] if index >= 0 else ZERO
        if value is not None:
            head = f"مقدار {fa(value)}{_inputs(values, self.cases.names)}: "
        else:
            head = f"{_pairs(values, self.cases.names)}: " if self.cases.names else ""
        return self._result(share, head + self._band(index), values)

    def describe(self) -> list[str]:
        lines = []
        if self.cases.value_source:
            lines.append(f"مقدار: {self.cases.value_source}")
        for index, share in enumerate(self.shares):
            source = self.cases.sources[index]
            condition = f"اگر {source}" if source else "در غیر این صورت"
            label = f" («{self.labels[index]}»)" if self.labels[index] else ""
            lines.append(f"{condition}{label}: {_percent(share)} سقف")
        if self.cases.sources[-1] is not None:
            lines.append("اگر هیچ حالتی برقرار نباشد: صفر")
        return lines

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        if self.cases.value_source is not None:
            data["value"] = self.cases.value_source
        entries = []
        for index, share in enumerate(self.shares):
            entry: dict[str, Any] = {}
            if self.cases.sources[index] is not None:
                entry["when"] = self.cases.sources[index]
            entry["share"] = _out(share)
            if self.labels[index]:
                entry["label"] = self.labels[index]
            entries.append(entry)
        data["cases"] = entries
        return data


class ConvergenceRule(CasesRule):
    """Closeness of the agency's own total to the final one, in bands over ``gap``."""

    kind = "convergence"

    def _allowed_keys(self) -> set[str]:
        return {"cases"}

    def _compile(self, data: Mapping[str, Any], conditions: list[Any], names: set[str]) -> Cases:
        return compile_cases(None, conditions, names | {"gap"})

    def score(self, answer: Mapping[str, Any], env: Env) -> Scored:
        own = to_decimal(answer.get("self_total"))
        if own is None or own < 0:
            raise Invalid("جمع امتیاز خودارزیابی (self_total) داده نشده یا عدد نیست")
        if env.others_total is None:
            raise Invalid("امتیاز نهایی دیگر نماگرها هنوز معلوم نیست")
        values = self._fields(answer) if self.spec.fields else {}
        final = env.others_total
        gap = abs(own - final) / env.catalogue_max * HUNDRED if env.catalogue_max else ZERO
        values = {**values, "gap": gap}
        head = (
            f"فاصله |{fa(own)} − {fa(final)}| ÷ {fa(env.catalogue_max)} × ۱۰۰ = {fa(round2(gap))}٪"
        )
        _value, index = self.cases.evaluate(values)
        share = self.shares[index] if index >= 0 else ZERO
        return self._result(share, f"{head}: {self._band(index)}", values)

    def describe(self) -> list[str]:
        return [
            "فاصله (gap) = |جمع خودارزیابی − جمع نهایی دیگر نماگرها| ÷ سقف کل × ۱۰۰",
            *super().describe(),
        ]

    def to_data(self) -> dict[str, Any]:
        data = super().to_data()
        data["kind"] = self.kind
        return data


class ChoiceRule(Rule):
    kind = "choice"

    def __init__(self, spec: Spec, data: Mapping[str, Any], names: set[str]) -> None:
        _keys(data, {"options", "labels"})
        super().__init__(spec, data, names)
        options = data.get("options")
        if not isinstance(options, Mapping) or not options:
            raise RuleError("«options» باید نگاشتی از گزینه به سهم باشد")
        self.options: dict[str, Decimal] = {}
        for code, share in options.items():
            if not isinstance(code, str) or not code:
                raise RuleError(f"کد گزینهٔ «{code}» باید متن باشد")
            self.options[code] = _share_number(share, f"گزینهٔ {code}")
        labels = data.get("labels") or {}
        if not isinstance(labels, Mapping) or set(labels) - set(self.options):
            raise RuleError("«labels» فقط برای گزینه‌های تعریف‌شده برچسب می‌دهد")
        self.labels: dict[str, str] = dict(labels)

    def label(self, code: str) -> str:
        return self.labels.get(code) or OPTION_LABELS.get(code, code)

    def score(self, answer: Mapping[str, Any], env: Env) -> Scored:
        chosen = answer.get("choice")
        if chosen is None:
            raise Invalid("گزینه‌ای انتخاب نشده است")
        if not isinstance(chosen, str) or chosen not in self.options:
            known = "، ".join(self.options)
            raise Invalid(f"گزینهٔ «{chosen}» تعریف نشده است (گزینه‌ها: {known})")
        return self._result(self.options[chosen], f"گزینهٔ «{self.label(chosen)}»", {})

    def describe(self) -> list[str]:
        parts = [f"{self.label(code)}: {_percent(share)}" for code, share in self.options.items()]
        return ["یک گزینه: " + "، ".join(parts) + " سقف"]

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        data["options"] = {code: _out(share) for code, share in self.options.items()}
        if self.labels:
            data["labels"] = dict(self.labels)
        return data


@dataclass(frozen=True, slots=True)
class Item:
    code: str
    title: str
    points: Decimal


class ChecklistRule(Rule):
    kind = "checklist"

    def __init__(self, spec: Spec, data: Mapping[str, Any], names: set[str]) -> None:
        _keys(data, {"items"})
        super().__init__(spec, data, names)
        items = data.get("items")
        if not isinstance(items, list) or not items:
            raise RuleError("«items» باید فهرستی از موارد چک‌لیست باشد")
        found: list[Item] = []
        for number, item in enumerate(items, start=1):
            where = f"مورد {fa(number)} چک‌لیست"
            if not isinstance(item, Mapping) or set(item) - {"code", "title", "points"}:
                raise RuleError(f"{where}: باید فقط code، title و points داشته باشد")
            code, title = item.get("code"), item.get("title")
            points = to_decimal(item.get("points"))
            if not isinstance(code, str) or not code or not isinstance(title, str) or not title:
                raise RuleError(f"{where}: کد و عنوان (متن) لازم است")
            if points is None or points < 0:
                raise RuleError(f"{where}: امتیاز باید عددی نامنفی باشد")
            if any(f.code == code for f in found):
                raise RuleError(f"{where}: کد «{code}» تکراری است")
            found.append(Item(code, title, points))
        self.items = tuple(found)
        self.points = {item.code: item.points for item in found}
        total = sum(self.points.values(), ZERO)
        if total != spec.max_score:
            raise RuleError(
                f"جمع امتیاز موارد چک‌لیست ({fa(total)}) با سقف نماگر "
                f"({fa(spec.max_score)}) برابر نیست"
            )

    def score(self, answer: Mapping[str, Any], env: Env) -> Scored:
        checked = answer.get("checked")
        if not isinstance(checked, list) or not all(isinstance(c, str) for c in checked):
            raise Invalid("«checked» باید فهرستی از کد موارد انجام‌شده باشد")
        unknown = [code for code in checked if code not in self.points]
        if unknown:
            raise Invalid(f"مورد «{unknown[0]}» در چک‌لیست این نماگر نیست")
        done = [item for item in self.items if item.code in set(checked)]
        points = round2(sum((item.points for item in done), ZERO))
        listed = "، ".join(f"{item.code} ({fa(item.points)})" for item in done) or "هیچ"
        text = f"موارد انجام‌شده: {listed} → {fa(points)} از {fa(self.spec.max_score)}"
        return points, text, {}

    def describe(self) -> list[str]:
        return ["جمع امتیاز موارد انجام‌شده:"] + [
            f"{item.code}) {item.title}: {fa(item.points)}" for item in self.items
        ]

    def to_data(self) -> dict[str, Any]:
        items = [{"code": i.code, "title": i.title, "points": _out(i.points)} for i in self.items]
        return {"kind": self.kind, "items": items}


class JudgementRule(Rule):
    kind = "judgement"

    def __init__(self, spec: Spec, data: Mapping[str, Any], names: set[str]) -> None:
        _keys(data, set())
        super().__init__(spec, data, names)

    def score(self, answer: Mapping[str, Any], env: Env) -> Scored:
        raw = answer.get("score")
        given = to_decimal(raw)
        if given is None:
            raise Invalid(
                "امتیاز ارزیاب داده نشده است" if raw is None else f"امتیاز «{raw}» عدد نیست"
            )
        if not ZERO <= given <= self.spec.max_score:
            raise Invalid(f"امتیاز {fa(given)} بیرون از ۰ تا {fa(self.spec.max_score)} است")
        if given != round2(given):
            raise Invalid(f"امتیاز {fa(given)} بیش از دو رقم اعشار دارد")
        values = self._fields(answer) if self.spec.fields else {}
        return given, f"امتیاز ارزیاب: {fa(given)} از {fa(self.spec.max_score)}", values

    def describe(self) -> list[str]:
        return [f"ارزیاب امتیاز را از ۰ تا {fa(self.spec.max_score)} می‌دهد"]

    def to_data(self) -> dict[str, Any]:
        return {"kind": self.kind}


class FormulaRule(Rule):
    kind = "formula"

    def __init__(self, spec: Spec, data: Mapping[str, Any], names: set[str]) -> None:
        _keys(data, {"share"})
        super().__init__(spec, data, names)
        if "share" not in data:
            raise RuleError("قاعدهٔ formula عبارت سهم (share) می‌خواهد")
        self.share: Expression = compile_expression(data["share"], names)

    def score(self, answer: Mapping[str, Any], env: Env) -> Scored:
        values = self._fields(answer)
        raw = self.share.evaluate(values)
        share = ZERO if raw < 0 else ONE if raw > 1 else raw
        text = f"سهم {self.share.source}{_inputs(values, self.share.names)} = {fa(raw)}"
        if share != raw:
            text += f"، {'حداکثر ۱' if raw > 1 else 'حداقل ۰'}"
        return self._result(share, text, values)

    def describe(self) -> list[str]:
        return [f"سهم = {self.share.source} (از ۰ تا ۱)", "امتیاز = سقف × سهم"]

    def to_data(self) -> dict[str, Any]:
        return {"kind": self.kind, "share": self.share.source}


KINDS: dict[str, type[Rule]] = {
    kind.kind: kind
    for kind in (
        TargetRule,
        CasesRule,
        ChoiceRule,
        ChecklistRule,
        JudgementRule,
        FormulaRule,
        ConvergenceRule,
    )
}

KIND_LABELS = {
    "target": "تحقق هدف",
    "cases": "بازه‌ها",
    "choice": "گزینه‌ای",
    "checklist": "چک‌لیست",
    "judgement": "قضاوت ارزیاب",
    "formula": "فرمول",
    "convergence": "همگرایی",
}


def build_rule(spec: Spec, data: Any) -> Rule:
    """The rule of one gauge; ``RuleError`` with a Persian message when it is wrong."""
    if not isinstance(data, Mapping):
        raise RuleError("قاعده (rule) باید شیئی با kind باشد")
    kind = data.get("kind")
    rule_class = KINDS.get(kind) if isinstance(kind, str) else None
    if rule_class is None:
        raise RuleError(f"نوع قاعدهٔ «{kind}» تعریف نشده است (انواع: {', '.join(KINDS)})")
    names = {field.code for field in spec.fields}
    try:
        return rule_class(spec, data, names)
    except ExpressionError as error:
        raise RuleError(error.message) from None
