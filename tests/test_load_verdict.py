"""The load run's verdict (reliability/load.py): what passes and what fails a run.

The run itself takes 12 minutes and is in `make reliability`; these check, in a moment, that
its pass or fail reads the right figures: the peak's rate and 95th percentile are held to the
targets, the ramp's are not, and a failure or a 5xx anywhere fails the run.
"""

import json
from pathlib import Path
from typing import Any

from reliability.load import MAX_P95_MS, MIN_RPS, figures, verdict


def _row(name: str, requests: int, failures: int = 0, p95: float = 120.0) -> dict[str, Any]:
    return {
        "name": name,
        "method": "" if name == "total" else "GET",
        "requests": requests,
        "failures": failures,
        "rps": 75.0,
        "p50_ms": 40.0,
        "p95_ms": p95,
        "p99_ms": p95 * 2,
        "max_ms": p95 * 3,
    }


def _run(**changes: Any) -> dict[str, Any]:
    found: dict[str, Any] = {
        "requests": [_row("page: workspace", 1000), _row("total", 1000)],
        "total": _row("total", 1000),
        "statuses": {"200": 1000},
        "server_errors": 0,
        "server_log": {"internal_errors": 0, "worker_timeouts": 0},
        "failures": [],
        # A crowd signing in at once is slow; that alone fails nothing.
        "ramp": {"users": 160, "requests": [_row("total", 300, p95=1900.0)], "statuses": {}},
    }
    found.update(changes)
    return found


def test_a_steady_peak_passes_even_after_a_slow_ramp() -> None:
    assert verdict(_run()) == []


def test_the_peak_is_held_to_the_rate_and_the_95th_percentile() -> None:
    slow = _row("total", 1000, p95=MAX_P95_MS + 10)
    assert verdict(_run(total=slow)) == [f"95th percentile {MAX_P95_MS + 10} ms, above 500"]
    thin = {**_row("total", 1000), "rps": MIN_RPS - 0.5}
    assert verdict(_run(total=thin)) == ["rate 59.5 req/s, below 60"]


def test_a_failure_in_the_ramp_fails_the_run() -> None:
    ramp = {"users": 160, "requests": [_row("total", 300, failures=2)], "statuses": {}}
    assert verdict(_run(ramp=ramp)) == ["2 failed requests in the ramp"]


def test_a_run_whose_ramp_was_not_seen_fails() -> None:
    assert verdict(_run(ramp={})) == ["the ramp's figures are missing (did every user start?)"]


def test_a_5xx_in_the_ramp_is_counted_with_the_peaks(tmp_path: Path) -> None:
    """figures() reads what locust wrote: a 502 during the ramp is a server error of the run."""
    header = "Type,Name,Request Count,Failure Count,Requests/s,50%,95%,99%,Max Response Time\n"
    rows = ["GET,page: workspace,10,0,75.0,30,90,120,130", ",Aggregated,10,0,75.0,30,90,120,130"]
    (tmp_path / "locust_stats.csv").write_text(header + "\n".join(rows) + "\n")
    (tmp_path / "locust_failures.csv").write_text("Method,Name,Error,Occurrences\n")
    (tmp_path / "gunicorn.log").write_text("")
    (tmp_path / "statuses.json").write_text(json.dumps({"200": 10}))
    ramp = {"users": 4, "requests": [_row("total", 5)], "statuses": {"200": 4, "502": 1}}
    (tmp_path / "ramp.json").write_text(json.dumps(ramp))

    found = figures(tmp_path)

    assert found["server_errors"] == 1
    assert found["total"]["p95_ms"] == 90.0
    assert verdict(found) == ["1 answers with a 5xx status"]
