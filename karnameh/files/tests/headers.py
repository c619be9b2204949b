"""Reading a download's Content-Disposition the way a browser would, checking it is inert."""

import re
from urllib.parse import unquote

_DISPOSITION = re.compile(
    r"(attachment|inline); filename=\"([^\"]*)\"; filename\*=UTF-8''([\w%.~-]+)", re.ASCII
)
# Nothing in the plain filename may end the header, the quoted string or a path, or turn
# the text around it.
_UNSAFE_IN_FALLBACK = re.compile("[\"'\\\\/\r\n\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def offered_name(disposition: str) -> tuple[str, str]:
    """The ASCII fallback and the real name (decoded from ``filename*``), both checked."""
    match = _DISPOSITION.fullmatch(disposition)
    assert match, disposition
    _kind, fallback, encoded = match.groups()
    assert fallback.isascii() and not _UNSAFE_IN_FALLBACK.search(fallback), fallback
    return fallback, unquote(encoded, errors="strict")
