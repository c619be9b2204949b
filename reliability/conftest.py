"""The reliability runs: PostgreSQL only, a live gunicorn on the test database, and the figures
each run measured, printed at the end (docs/reliability.md quotes them)."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from .live import Gunicorn

_FIGURES: list[str] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Locks, concurrent connections and killed servers mean nothing on SQLite: refuse, rather
    # than pass by skipping everything.
    if items and connection.vendor != "postgresql":
        pytest.exit(
            "The reliability runs need PostgreSQL: set DATABASE_URL=postgres://… "
            "(e.g. postgres://postgres@127.0.0.1:5432/karnameh).",
            returncode=2,
        )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _FIGURES:
        terminalreporter.section("reliability figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture
def figures() -> Callable[[str], None]:
    """``figures("…")`` adds a line to the summary printed after the run."""
    return _FIGURES.append


@pytest.fixture
def gunicorn(transactional_db: None, tmp_path: Path) -> Iterator[Callable[..., Gunicorn]]:
    """``gunicorn(workers=4)`` starts a server on the test database; it is stopped after the
    test. The data must be committed for the server to see it, hence ``transactional_db``."""
    started: list[Gunicorn] = []

    def start(*, workers: int) -> Gunicorn:
        server = Gunicorn(tmp_path / f"server-{len(started)}", workers=workers)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
