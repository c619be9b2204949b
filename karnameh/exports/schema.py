"""The published JSON Schema of the national package, and a check of a package against it.

The schema file is the contract other systems read; the import checks uploads against that
same file, so the two cannot drift apart. ``jsonschema`` is not a dependency of the system,
so ``problems`` implements the small part of draft 2020-12 the schema uses: ``type``,
``const``, ``enum``, ``required``, ``properties``, ``additionalProperties``, ``items``,
``minItems``, ``minLength``, ``maxLength``, ``pattern``, ``minimum``, ``maximum`` and local
``$ref``s into ``$defs``. Anything else in the schema is refused when it is loaded, so a
keyword added to the file without being checked here fails the tests instead of passing
silently.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).parent / "schema" / "national-package-1.json"
KNOWN = {
    "$schema",
    "$id",
    "$defs",
    "$ref",
    "title",
    "description",
    "type",
    "const",
    "enum",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "minItems",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
}
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """Where (keys and list positions from the top) and what (a stable code, for messages)."""

    path: Path_
    code: str  # missing | type | value | extra | short | pattern | range
    detail: str = ""


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    _check_keywords(loaded)
    return loaded


def schema_bytes() -> bytes:
    return SCHEMA_PATH.read_bytes()


def _check_keywords(node: Any) -> None:
    if not isinstance(node, dict):
        return
    unknown = set(node) - KNOWN
    if unknown:
        raise ValueError(f"schema keywords not checked by exports.schema: {sorted(unknown)}")
    for key in ("properties", "$defs"):
        for child in node.get(key, {}).values():
            _check_keywords(child)
    for key in ("items", "additionalProperties"):
        _check_keywords(node.get(key))


def _is(kind: str, value: Any) -> bool:
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    raise ValueError(f"unknown type {kind!r}")


def problems(value: Any, node: dict[str, Any] | None = None, path: Path_ = ()) -> list[Problem]:
    """Every place ``value`` breaks the schema (the whole package by default), in order."""
    root = schema()
    node = root if node is None else node
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        return problems(value, root["$defs"][name], path)
    if "type" in node:
        kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
        if not any(_is(kind, value) for kind in kinds):
            return [Problem(path, "type", "/".join(kinds))]
    if "const" in node and value != node["const"]:
        return [Problem(path, "value", str(node["const"]))]
    if "enum" in node and value not in node["enum"]:
        return [Problem(path, "value", ", ".join(str(v) for v in node["enum"]))]
    found: list[Problem] = []
    if isinstance(value, dict):
        found += _object(value, node, path)
    if isinstance(value, list):
        if len(value) < node.get("minItems", 0):
            found.append(Problem(path, "short", str(node["minItems"])))
        if "items" in node:
            for index, item in enumerate(value):
                found += problems(item, node["items"], (*path, index))
    if isinstance(value, str):
        if len(value) < node.get("minLength", 0) or len(value) > node.get("maxLength", 10**9):
            found.append(Problem(path, "value"))
        if "pattern" in node and not re.search(node["pattern"], value):
            found.append(Problem(path, "pattern", node["pattern"]))
    low, high = node.get("minimum"), node.get("maximum")
    if _is("number", value) and (
        (low is not None and value < low) or (high is not None and value > high)
    ):
        found.append(Problem(path, "range", f"{low}–{high}"))
    return found


def _object(value: dict[str, Any], node: dict[str, Any], path: Path_) -> list[Problem]:
    found = [
        Problem((*path, key), "missing") for key in node.get("required", []) if key not in value
    ]
    properties = node.get("properties", {})
    extra = node.get("additionalProperties", True)
    for key, item in value.items():
        if key in properties:
            found += problems(item, properties[key], (*path, key))
        elif extra is False:
            found.append(Problem((*path, key), "extra"))
        elif isinstance(extra, dict):
            found += problems(item, extra, (*path, key))
    return found
