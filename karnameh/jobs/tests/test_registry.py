"""Registering kinds: every app's ``jobs`` module is found; one name, one function."""

import pytest

from karnameh.jobs.registry import KINDS, Output, Progress, get_kind, job_kind


def test_the_built_in_kind_is_discovered_with_its_action() -> None:
    found = get_kind("results.recompute")
    assert found is not None and found.action == "results.view"


def test_a_second_function_under_a_taken_name_is_refused() -> None:
    # given a name already registered
    held = KINDS["results.recompute"]

    # when another function claims it, then start-up fails instead of running the wrong one
    with pytest.raises(RuntimeError):

        @job_kind("results.recompute", label="x", action="results.view")
        def impostor(job: object, progress: Progress) -> Output:
            return "x.csv", b"", "text/csv"

    assert KINDS["results.recompute"] is held
