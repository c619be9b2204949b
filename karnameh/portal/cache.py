"""The portal's cache: published results never change, so pages are built once.

A release is final (``results.services.publish`` refuses a second one and ``reopen`` refuses
a released cycle), but a NEW release changes pages of older cycles too: the index lists it and
an agency's page compares every released year. So every key carries the *generation*, which
changes whenever any cycle is released; nothing ever has to be deleted by hand. The check
that the cycle itself is released runs before the cache is read (``portal_cycle``), so a
cached page is never an answer for an unreleased cycle.

Django's default cache (local memory, per process) is enough; with several processes or
servers, CACHES in the settings may name a shared one (Redis, Memcached, the database).
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import get_language

from karnameh.results.models import Release

T = TypeVar("T")
# Long: the generation, not the clock, makes an entry stale.
TIMEOUT = 24 * 60 * 60


def generation() -> str:
    """Changes whenever a cycle's results are released; one query."""
    found = Release.objects.aggregate(last=Max("pk"), count=Count("pk"), at=Max("released_at"))
    stamp = found["at"].timestamp() if found["at"] else 0
    return f"{found['last'] or 0}.{found['count']}.{stamp}"


def short(text: str) -> str:
    """A cache-safe key part for free text (a search query)."""
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def remembered(generation: str, key: str, build: Callable[[], T]) -> T:
    full = f"portal:{generation}:{get_language()}:{key}"
    found = cache.get(full)
    if found is None:
        found = build()
        cache.set(full, found, TIMEOUT)
    return found
