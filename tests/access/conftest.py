"""The state every access test reads, built once for the package inside one transaction.

Each test then works inside a savepoint of that transaction (``attempt`` in matrix.py rolls
back every request), so the order the tests run in changes nothing, and the package's data is
gone when it ends. The clock stands still at ``state.moment`` for the whole package.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.db import transaction
from django.test import Client, override_settings

from karnameh.accounts.demo_data import USERS as DEMO_USERS
from karnameh.accounts.management.commands.demo import load_demo
from karnameh.accounts.models import User

from .state import World, build, moment


@pytest.fixture(scope="package")
def world(
    django_db_setup: None, django_db_blocker: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    media: Path = tmp_path_factory.mktemp("access-media")
    with (
        django_db_blocker.unblock(),  # type: ignore[attr-defined]
        override_settings(MEDIA_ROOT=str(media)),
        transaction.atomic(),
    ):
        load_demo()
        built = build()
        with time_machine.travel(moment(built), tick=False):
            yield built
        transaction.set_rollback(True)


@pytest.fixture(scope="package")
def clients(world: World) -> dict[str, Client]:
    """A signed-in client per demo user (and one for a visitor), signed in once."""
    made = {"anonymous": Client()}
    for name in DEMO_USERS:
        made[name] = Client()
        made[name].force_login(User.objects.get(username=name))
    return made
