"""Reading catalogue files: YAML with line numbers, and problems named by place and line.

Strict where YAML is lax: duplicate keys are refused (YAML keeps the last silently), only
``true``/``false`` are booleans (YAML 1.1 would read the option codes ``yes`` and ``no`` as
booleans), decimals are read exactly as written, and deep nesting, anchors and aliases are
refused before anything is built.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

from .numbers import fa, to_decimal

MAX_PROBLEMS = 200


@dataclass(frozen=True, slots=True)
class Problem:
    place: str
    message: str
    line: int | None = None

    def text(self, name: str) -> str:
        where = f"{name}، سطر {fa(self.line)}" if self.line else name
        return (
            f"{where}، {self.place}: {self.message}" if self.place else f"{where}: {self.message}"
        )


class CatalogueError(ValueError):
    """A catalogue that cannot be loaded; ``problems`` lists every place that is wrong."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        self.name = name
        self.problems = sorted(problems, key=lambda p: p.line or 0)
        super().__init__("\n".join(problem.text(name) for problem in self.problems))

    @property
    def message(self) -> str:
        return str(self)


def unreadable(error: OSError) -> str:
    """Why a file could not be read, in Persian."""
    if isinstance(error, FileNotFoundError):
        return "پرونده پیدا نشد"
    if isinstance(error, PermissionError):
        return "اجازهٔ خواندن این پرونده نیست"
    if isinstance(error, IsADirectoryError):
        return "این مسیر پوشه است، نه پرونده"
    return f"پرونده خوانده نشد ({error.strerror or error})"


# --- YAML: line numbers, duplicate keys refused, exact decimals, only true/false as booleans.


class _Mapping(dict[Any, Any]):
    line: int | None = None


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


# YAML 1.1 reads yes/no/on/off as booleans, which would turn the option codes `yes` and `no`
# into True and False. Only true and false are booleans here, as in YAML 1.2.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "کلید باید متن باشد", key_node.start_mark
            )
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"کلید «{key}» دو بار آمده است", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


def _construct_decimal(loader: Any, node: yaml.ScalarNode) -> Decimal | float:
    # Read the digits as written: 7.5 and 0.1 are exact, as the catalogue states them.
    text = str(loader.construct_scalar(node)).replace("_", "")
    number = to_decimal(text)
    return number if number is not None else float("nan")


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


MAX_NESTING = 40


def _check_shape(text: str | bytes, name: str) -> None:
    """Refuse what would hurt the parser before anything is built.

    Building a deeply nested document recurses in C (libyaml through Cython) past any Python
    limit, and kills the process: a 60 KB upload of dashes would take a web worker down. The
    event stream is flat, so nesting is counted there first. Anchors and aliases are refused:
    a catalogue never needs them, and a few hundred bytes of aliases can expand to millions
    of gauges.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                line = event.start_mark.line + 1 if event.start_mark else None
                message = f"بیش از {fa(MAX_NESTING)} سطح تودرتو دارد"
                raise CatalogueError(name, [Problem("", message, line)])
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            line = event.start_mark.line + 1 if event.start_mark else None
            message = "ارجاع YAML (& و *) در شاخص‌نامه پذیرفته نیست؛ متن را کامل بنویسید"
            raise CatalogueError(name, [Problem("", message, line)])


def read_yaml(text: str | bytes, name: str) -> Any:
    try:
        _check_shape(text, name)
        return yaml.load(text, Loader=_Loader)  # noqa: S506  # nosec B506  # a SafeLoader subclass
    except CatalogueError:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or error.context or "YAML نادرست"
        raise CatalogueError(name, [Problem("", f"YAML درست نیست: {problem}", line)]) from None
    except yaml.YAMLError as error:
        raise CatalogueError(name, [Problem("", f"YAML درست نیست: {error}")]) from None
    except (ValueError, RecursionError, MemoryError):
        # e.g. a whole number of thousands of digits, which Python refuses to read.
        too_big = Problem("", "YAML درست نیست: عددی یا ساختاری بیش از اندازه بزرگ دارد")
        raise CatalogueError(name, [too_big]) from None
