"""Decimal arithmetic and the way numbers are written in explanations.

Scores are ``Decimal`` from input to output: a float would put 0.1 + 0.2 on the wrong side of
a band edge. Persian digits are written here (not with Django's helpers) because the engine
must stay free of Django.
"""

import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

_GROUPED = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?")
_PERSIAN = str.maketrans("0123456789.-", "۰۱۲۳۴۵۶۷۸۹٫−")
_LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫٬", "01234567890123456789.,")


# Rounding half up, as people round by hand. Its own context, so that nothing else's rounding
# changes, and a method call rather than keyword arguments: this runs for every gauge.
_HALF_UP = Context(prec=28, rounding=ROUND_HALF_UP)
_quantize = _HALF_UP.quantize


def round2(number: Decimal) -> Decimal:
    """Half up to two decimals: 2.345 → 2.35."""
    return _quantize(number, CENT)


def to_decimal(value: object) -> Decimal | None:
    """A number from JSON or a form (int, Decimal, float, or digits in a string), else None.

    Strings may use Persian or Arabic-Indic digits and «٫» for the decimal point. Booleans are
    not numbers here: ``true`` typed for a count is a mistake, not 1.
    """
    # The common cases first, by exact type: this runs for every figure of every agency.
    if type(value) is int:
        return Decimal(value)
    if type(value) is Decimal:
        return value if value.is_finite() else None
    if type(value) is float:
        # repr() gives the shortest form that reads back the same: 0.1 stays 0.1.
        finite = value == value and abs(value) != float("inf")
        return Decimal(repr(value)) if finite else None
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal | int):
        return to_decimal(Decimal(value))
    if isinstance(value, str):
        text = value.strip().translate(_LATIN)
        if "," in text:
            # A comma only as a thousands separator (1,200 or 12,345.5): "12,5" is someone's
            # decimal comma, and reading it as 125 would be a silent mistake.
            if not _GROUPED.fullmatch(text):
                return None
            text = text.replace(",", "")
        if not text or len(text) > 40:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def plain(number: Decimal | int) -> str:
    """Latin digits without needless zeros: 28.00 → 28, 3.50 → 3.5, 1E+2 → 100."""
    if isinstance(number, int):
        return str(number)
    text = format(number, "f")
    if "." in text:
        if len(text) - text.index(".") > 5:
            # People read four decimals at most; the arithmetic itself keeps every digit.
            text = format(_quantize(number, _FOUR_PLACES), "f")
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


_FOUR_PLACES = Decimal("0.0001")
_FA_CACHE: dict[str, str] = {}


def fa(number: Decimal | int) -> str:
    """Persian digits for a person to read: 3.5 → ۳٫۵, −2 → −۲ (at most 4 decimals shown).

    Explanations write a few numbers for every gauge of every agency, and the same numbers
    recur (maxima, shares, whole figures), so the text of each is kept once made.
    """
    # Keyed by the number's own text: hashing a new Decimal costs more than writing it.
    key = str(number)
    text = _FA_CACHE.get(key)
    if text is None:
        if len(_FA_CACHE) > 200_000:
            _FA_CACHE.clear()
        text = _FA_CACHE[key] = plain(number).translate(_PERSIAN)
    return text


def fa_text(text: str) -> str:
    """Persian digits in a piece of text (codes such as 6.4.1 keep their dots)."""
    return text.translate(_DIGITS_ONLY)


_DIGITS_ONLY = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def json_number(number: Decimal) -> int | float:
    """A score for JSON: at most two decimals, written as the contract shows (28.0, 7.5)."""
    return float(round2(number))


def written(number: Decimal) -> int | float:
    """A number as JSON and YAML files write it: whole numbers as integers (35), else 7.5."""
    if number == number.to_integral_value():
        return int(number)
    return float(number)
