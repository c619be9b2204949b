"""Decimal arithmetic and the way numbers are written in explanations.

Scores are ``Decimal`` from input to output: a float would put 0.1 + 0.2 on the wrong side of
a band edge. Persian digits are written here (not with Django's helpers) because the engine
must stay free of Django.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

_PERSIAN = str.maketrans("0123456789.-", "۰۱۲۳۴۵۶۷۸۹٫−")
_LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫٬", "01234567890123456789.,")


def round2(number: Decimal) -> Decimal:
    """Half up to two decimals: 2.345 → 2.35, as people round by hand."""
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def to_decimal(value: object) -> Decimal | None:
    """A number from JSON or a form (int, Decimal, float, or digits in a string), else None.

    Strings may use Persian or Arabic-Indic digits and «٫» for the decimal point. Booleans are
    not numbers here: ``true`` typed for a count is a mistake, not 1.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # str() gives the shortest form that reads back the same: 0.1 stays 0.1.
        return Decimal(str(value)) if value == value and abs(value) != float("inf") else None
    if isinstance(value, str):
        text = value.strip().translate(_LATIN).replace(",", "")
        if not text or len(text) > 40:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def plain(number: Decimal | int) -> str:
    """Latin digits without needless zeros: 28.00 → 28, 3.50 → 3.5 (used in JSON and codes)."""
    if isinstance(number, int):
        return str(number)
    if number == number.to_integral_value():
        return str(number.quantize(ONE))
    text = format(number.normalize(), "f")
    return text


def fa(number: Decimal | int) -> str:
    """Persian digits for a person to read: 3.5 → ۳٫۵, −2 → −۲ (at most 4 decimals shown)."""
    if isinstance(number, Decimal) and number.as_tuple().exponent < -4:  # type: ignore[operator]
        number = number.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return plain(number).translate(_PERSIAN)


def fa_text(text: str) -> str:
    """Persian digits in a piece of text (codes such as 6.4.1 keep their dots)."""
    return text.translate(_DIGITS_ONLY)


_DIGITS_ONLY = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def json_number(number: Decimal) -> int | float:
    """A score for JSON: at most two decimals, written as the contract shows (28.0, 7.5)."""
    return float(round2(number))


def json_max(number: Decimal) -> int | float:
    """A maximum for JSON: whole maxima as integers (35), others as they are (7.5)."""
    if number == number.to_integral_value():
        return int(number)
    return float(number)
