"""Reading an answers file (JSON): its shape is checked here, each gauge's content by the rules.

A file that is not JSON, not shaped as the contract says, or that answers a gauge the
catalogue does not have is refused as a whole (``AnswersError``): an answer written for another
catalogue must not be scored as if nothing were wrong. What is wrong inside one gauge's answer
(a missing figure, an unknown option) only makes that gauge ``invalid``.
"""

import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from .files import unreadable
from .model import Catalogue
from .numbers import fa, fa_text

MAX_BYTES = 50 * 1024 * 1024


class AnswersError(ValueError):
    """An answers file that cannot be used; the message names the file and the place."""

    def __init__(self, name: str, message: str, line: int | None = None) -> None:
        where = f"{name}، سطر {fa(line)}" if line else name
        super().__init__(f"{where}: {message}")
        self.message = str(self)


def _refuse_constant(text: str) -> Any:
    raise ValueError(f"«{text}» عدد نیست")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # JSON keeps the last of two equal keys without a word; an answer given twice is a mistake.
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"کلید «{fa_text(key)}» دو بار آمده است")
        found[key] = value
    return found


def parse_answers(
    text: str | bytes, catalogue: Catalogue, *, name: str = "answers"
) -> dict[str, Mapping[str, Any]]:
    """``{gauge code: answer}`` from an answers document; ``AnswersError`` when it is unusable."""
    try:
        data = json.loads(
            text, parse_float=Decimal, parse_constant=_refuse_constant, object_pairs_hook=_object
        )
    except json.JSONDecodeError as error:
        raise AnswersError(name, f"JSON درست نیست: {error.msg}", error.lineno) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise AnswersError(name, f"JSON درست نیست: {error}") from None
    except RecursionError:
        raise AnswersError(name, "JSON درست نیست: بیش از اندازه تودرتو است") from None
    if not isinstance(data, dict):
        raise AnswersError(name, "باید شیئی با کلید «gauges» باشد")
    gauges = data.get("gauges")
    if not isinstance(gauges, dict):
        raise AnswersError(name, "کلید «gauges» باید شیئی از پاسخ نماگرها باشد")
    known = {gauge.code for _indicator, gauge in catalogue.gauges()}
    for code, answer in gauges.items():
        if code not in known:
            raise AnswersError(name, f"نماگر «{fa_text(code)}» در شاخص‌نامهٔ «{catalogue.code}» نیست")
        if not isinstance(answer, dict):
            raise AnswersError(name, f"پاسخ نماگر {fa_text(code)} باید شیء باشد")
    return gauges


def load_answers(path: str | Path, catalogue: Catalogue) -> dict[str, Mapping[str, Any]]:
    name = str(path)
    try:
        file = Path(path)
        if file.stat().st_size > MAX_BYTES:
            raise AnswersError(name, "پرونده بیش از ۵۰ مگابایت است")
        raw = file.read_bytes()
    except OSError as error:
        raise AnswersError(name, unreadable(error)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise AnswersError(name, "پرونده UTF-8 نیست") from None
    return parse_answers(text, catalogue, name=name)
