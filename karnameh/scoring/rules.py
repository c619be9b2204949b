"""The rule kinds of the contract: each reads an answer, computes its points, and writes itself.

A rule is bound to its gauge when the catalogue loads (its maximum, fields and target), so
scoring one answer is one method call. ``score`` returns the points, the inputs it read, and
``why``: the sentence builder of ``explain`` with the exact figures used, called only when
someone reads the explanation.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from . import explain
from .expressions import Cases, Expression, ExpressionError, compile_cases, compile_expression
from .fields import Invalid, read_fields
from .model import OPTION_LABELS, STAR, Field, Table, Target
from .numbers import HUNDRED, ONE, ZERO, fa, round2, to_decimal, written


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


# (points, inputs read, why): ``why[0](*why[1:])`` writes the explanation.
Scored = tuple[Decimal, dict[str, Decimal], tuple[Any, ...]]


def _share_number(raw: Any, where: str) -> Decimal:
    number = to_decimal(raw) if not isinstance(raw, str) else None
    if number is None or not ZERO <= number <= ONE:
        raise RuleError(f"{where}: سهم باید عددی از ۰ تا ۱ باشد، نه «{raw}»")
    return number


def _keys(data: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed - {"kind"})
    if unknown:
        raise RuleError(f"کلید ناشناخته در قاعده: {', '.join(unknown)}")


class Rule(ABC):
    kind: ClassVar[str]

    def __init__(self, spec: Spec, data: Mapping[str, Any], names: set[str]) -> None:
        self.spec = spec

    @abstractmethod
    def score(self, answer: Mapping[str, Any], env: Env) -> Scored:
        """Points, inputs and explanation for one answer; ``Invalid`` when it can't be scored."""

    @abstractmethod
    def to_data(self) -> dict[str, Any]:
        """The rule as the catalogue file writes it."""

    def describe(self) -> list[str]:
        """The rule in Persian, a line each, for staff browsing the catalogue."""
        return explain.describe(self)

    def _fields(self, answer: Mapping[str, Any]) -> dict[str, Decimal]:
        return read_fields(self.spec.fields, self.spec.tables, answer)


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
        self.higher = self.direction == "higher"
        # None: the agency's own target, agreed in its MoU, comes with the answer.
        self.goal: Decimal | None = None if spec.target == STAR else spec.target  # type: ignore[assignment]

    def score(self, answer: Mapping[str, Any], env: Env) -> Scored:
        values = self._fields(answer)
        actual = self.actual.evaluate(values)
        goal = self.goal
        if goal is None:
            goal = to_decimal(answer.get("target"))
            if goal is None:
                raise Invalid("هدف این نماگر در تفاهم‌نامه تعیین می‌شود و داده نشده است")
            if goal < 0:
                raise Invalid(f"هدف تفاهم‌نامه نمی‌تواند منفی باشد ({fa(goal)})")
        ratio: Decimal | None
        if self.higher:
            if goal <= 0:
                share, ratio = ONE, None
            else:
                ratio = actual / goal
                share = ZERO if ratio < 0 else ONE if ratio > 1 else ratio
        elif actual <= goal:
            share, ratio = ONE, None
        else:
            # Targets are never negative (the loader and the check above refuse them), so
            # here actual > goal ≥ 0 and the ratio lies in [0, 1).
            ratio = share = goal / actual
        points = round2(self.spec.max_score * share)
        return points, values, (explain.target, self, actual, goal, ratio, share, points, values)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        if self.actual.source != "actual":
            data["actual"] = self.actual.source
        if self.direction != "higher":
            data["direction"] = self.direction
        return data


class CasesRule(Rule):
    kind = "cases"

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

    def score(self, answer: Mapping[str, Any], env: Env) -> Scored:
        values = self._fields(answer)
        value, index = self.cases.evaluate(values)
        share = self.shares[index] if index >= 0 else ZERO
        points = round2(self.spec.max_score * share)
        return points, values, (explain.cases, self, value, index, share, points, values)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        if self.cases.value_source is not None:
            data["value"] = self.cases.value_source
        entries = []
        for index, share in enumerate(self.shares):
            entry: dict[str, Any] = {}
            if self.cases.sources[index] is not None:
                entry["when"] = self.cases.sources[index]
            entry["share"] = written(share)
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
        final = env.others_total
        if final is None:
            raise Invalid("امتیاز نهایی دیگر نماگرها هنوز معلوم نیست")
        top = env.catalogue_max
        values = self._fields(answer) if self.spec.fields else {}
        gap = abs(own - final) / top * HUNDRED if top else ZERO
        values = {**values, "gap": gap}
        _value, index = self.cases.evaluate(values)
        share = self.shares[index] if index >= 0 else ZERO
        points = round2(self.spec.max_score * share)
        why = (explain.convergence, self, own, final, top, gap, index, share, points)
        return points, values, why

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
        share = self.options[chosen]
        points = round2(self.spec.max_score * share)
        return points, {}, (explain.choice, self, chosen, share, points)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        data["options"] = {code: written(share) for code, share in self.options.items()}
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
        ticked = set(checked)
        done = [item for item in self.items if item.code in ticked]
        points = round2(sum((item.points for item in done), ZERO))
        return points, {}, (explain.checklist, self, done, points)

    def to_data(self) -> dict[str, Any]:
        items = [
            {"code": i.code, "title": i.title, "points": written(i.points)} for i in self.items
        ]
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
        points = round2(given)
        if points != given:
            raise Invalid(f"امتیاز {fa(given)} بیش از دو رقم اعشار دارد")
        # Figures beside a judgement inform the evaluator; the score does not wait for them.
        values = self._fields(answer) if self.spec.fields and "fields" in answer else {}
        return points, values, (explain.judgement, self, points)

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
        points = round2(self.spec.max_score * share)
        return points, values, (explain.formula, self, raw, share, points, values)

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
