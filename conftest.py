"""Fixtures shared by every test."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from karnameh.accounts.management.commands.demo import load_demo
from karnameh.accounts.models import User


@pytest.fixture
def demo(db: None) -> dict[str, int]:
    """The demo province and its ten users (password «demo»)."""
    return load_demo()


@pytest.fixture
def demo_user(demo: dict[str, int]):
    """``demo_user("staff")`` gives the demo account of that name."""

    def get(username: str) -> User:
        return User.objects.get(username=username)

    return get


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """The cache empty before and after: the rolled-back database reuses primary keys, and the
    portal's generation (its cache key) would not tell one test's release from another's."""
    cache.clear()
    yield
    cache.clear()
