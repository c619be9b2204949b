"""Persian text: letter normalisation and digits.

Agencies type on Arabic and Persian keyboards alike, so «كيفيت» and «کیفیت» must be the same
word in the database and in search. Digits are ASCII inside the system and Persian on screen.
"""

from typing import Any

_LETTERS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # alef maksura
        "ك": "ک",  # Arabic kaf
        "ة": "ه",  # teh marbuta
        "ۀ": "هٔ",
        "\u200f": None,  # right-to-left mark: invisible, breaks equality
        "\u200e": None,  # left-to-right mark
        "\u202b": None,
        "\u202e": None,  # right-to-left override: used to disguise text
        "\u202a": None,
        "\u202d": None,
        "\u202c": None,
        "\ufeff": None,
    }
)
_TO_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫٬", "01234567890123456789.,")
_TO_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def normalize_fa(text: str) -> str:
    """Arabic letter forms to Persian, invisible direction marks removed, spaces collapsed.

    The zero-width non-joiner (نیم‌فاصله) is kept: it is part of Persian spelling.
    """
    return " ".join(text.translate(_LETTERS).split())


def ascii_digits(text: str) -> str:
    """Persian and Arabic-Indic digits (and the Arabic decimal point) to ASCII."""
    return text.translate(_TO_ASCII_DIGITS)


def persian_digits(value: Any) -> str:
    """Everything a person reads shows Persian digits."""
    if value is None:
        return ""
    return str(value).translate(_TO_PERSIAN_DIGITS)


def normalize_input(text: str) -> str:
    """What every text field does to what a person typed: letters normalised, digits ASCII."""
    return ascii_digits(normalize_fa(text))
