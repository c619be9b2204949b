"""``{% gauge_status result later %}``: a gauge's status badge, the one place it is written.

A tag, not an included template: the workspace draws a badge on each of its ~100 rows, and an
``{% include %}`` a row cost more than the rest of the row together.
"""

from functools import lru_cache
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, gettext_noop

from karnameh.scoring.engine import INVALID, NOT_APPLICABLE, SCORED

register = template.Library()

# (badge classes, message) by the result's status; any other status reads «not answered».
_BADGES = {
    SCORED: ("text-bg-success", gettext_noop("scored")),
    INVALID: ("text-bg-danger", gettext_noop("incomplete")),
    NOT_APPLICABLE: ("text-bg-secondary", gettext_noop("not applicable")),
}
_NOT_ANSWERED = ("text-bg-light border", gettext_noop("not answered"))
# A convergence gauge: the organization scores it at the end, whatever the agency entered.
_LATER = ("text-bg-light border", gettext_noop("scored by the organization"))


@register.simple_tag
def gauge_status(result: Any, later: bool = False) -> SafeString:
    """The badge for a ``GaugeResult`` (or nothing yet), or for a gauge scored later."""
    badge = _LATER if later else _BADGES.get(getattr(result, "status", ""), _NOT_ANSWERED)
    return _badge(badge, get_language())


# Five badges a language: each is built once, not once a row.
@lru_cache(maxsize=64)
def _badge(badge: tuple[str, str], language: str | None) -> SafeString:
    classes, message = badge
    return format_html('<span class="badge {}">{}</span>', classes, gettext(message))
