"""Runs test_cli last and starts its command-line runs when collection ends.

Why: see cli_runs.py. Started early and waited for last, the runs proceed alongside the other
tests instead of after them.
"""

from . import cli_runs


def _is_cli(item) -> bool:
    return item.nodeid.split("::")[0].endswith("scoring/tests/test_cli.py")


def pytest_collection_modifyitems(session, config, items) -> None:
    items.sort(key=_is_cli)  # stable: everything else keeps its order


def pytest_collection_finish(session) -> None:
    if any(_is_cli(item) for item in session.items):
        cli_runs.start()


def pytest_sessionfinish(session) -> None:
    cli_runs.stop()
