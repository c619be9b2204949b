"""``{% provisional_scores_link participation %}``: the agency's way to its provisional scores.

Shown only when an evaluator has given an initial approval of that agency (before that there
is nothing to read) and only to someone ``scores.view`` lets read them.
"""

from typing import Any

from django import template

from karnameh.accounts.permissions import may
from karnameh.evaluations.provisional import has_approval

register = template.Library()


@register.inclusion_tag("evaluations/_provisional_link.html", takes_context=True)
def provisional_scores_link(context: Any, participation: Any) -> dict[str, Any]:
    user = context["request"].user
    shown = may(user, "scores.view", participation) and has_approval(participation)
    return {"participation": participation, "shown": shown}
