"""Fixtures shared by every test."""

import pytest

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
