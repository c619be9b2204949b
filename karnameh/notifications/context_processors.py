"""The unread count in the page header."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from .selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    """``unread_notifications``: counted on first use, once per request (the template calls it).

    A callable rather than a number: pages that never show the header pay no query.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}

    def count() -> int:
        cached: int | None = getattr(request, "_karnameh_unread", None)
        if cached is None:
            cached = unread_count(user)
            setattr(request, "_karnameh_unread", cached)  # noqa: B010 (not an attribute of the type)
        return cached

    counter: Callable[[], int] = count
    return {"unread_notifications": counter}
