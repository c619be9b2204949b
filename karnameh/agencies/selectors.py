"""Reading the registry, always through what the reader may see."""

from typing import Any

from django.db.models import Q, QuerySet

from karnameh.accounts.permissions import visible_agencies
from karnameh.common.text import normalize_input

from .models import Agency


def search_agencies(*, user: Any, query: str = "") -> QuerySet[Agency]:
    """Visible agencies whose name or code contains the query, Persian letters normalised."""
    agencies = visible_agencies(user)
    query = normalize_input(query or "")
    if query:
        agencies = agencies.filter(
            Q(search_name__contains=query.lower()) | Q(code__icontains=query)
        )
    return agencies.order_by("province__name", "code")
