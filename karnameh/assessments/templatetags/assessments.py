"""The workspace's rows, written in Python: it draws ~100 of them on every visit.

- ``{% gauge_status result later %}``: a gauge's status badge, the one place it is written (a
  tag, not an included template: an ``{% include %}`` a row cost more than the rest of the row).
- ``{% gauge_rows rows prefix %}``: an axis's table rows, one per gauge. As a ``{% for %}`` in
  the template they were half the page's time; the HTML is the same byte for byte (the
  template they replace is kept in tests/test_workspace_rows.py and compared with them).
"""

from functools import lru_cache
from html import escape
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

from karnameh.catalogue.templatetags.catalogue import score
from karnameh.common.templatetags.fa import fa
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


# One row; the blanks around it are the template's, so the page reads as it always did.
_ROW = (
    '\n      <tr data-testid="gauge-row" data-gauge="{}">'
    '\n        <td><a href="{}{}/{}/"><span class="ltr">{}</span></a></td>'
    "\n        <td>{}</td>"
    "\n        <td>{}</td>"
    "\n        <td>{}</td>"
    "\n        <td>{}</td>"
    "\n        <td>{}{}</td>"
    "\n      </tr>\n    "
)


@register.simple_tag
def gauge_rows(rows: list[Any], prefix: str) -> SafeString:
    """An axis's rows: code (a link under ``prefix``, the workspace's address), title, maximum,
    self-score (a dash for a gauge scored later), status, files (and «missing»)."""
    language = get_language()
    missing = format_html(' <span class="badge text-bg-danger">{}</span>', gettext("missing"))
    written = []
    for row in rows:
        code = row.gauge.code
        badge = _LATER if row.later else _BADGES.get(row.result.status, _NOT_ANSWERED)
        # The texts escaped as the template escaped them (Django's ``escape`` is this
        # ``html.escape``, marked safe); the badges are already HTML. format_html would do the
        # same, a third slower.
        written.append(
            _ROW.format(
                escape(code),
                escape(prefix),
                escape(row.part),
                escape(code),
                escape(fa(code)),
                escape(fa(row.gauge.title)),
                escape(score(row.gauge.max_score)),
                "—" if row.later else escape(score(row.result.score)),
                _badge(badge, language),
                escape(fa(len(row.evidence))),
                missing if row.evidence_missing else "",
            )
        )
    return mark_safe("".join(written))  # noqa: S308 (every text in it escaped above)
