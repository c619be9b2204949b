"""Benchmark: score a national-scale cycle with the pure engine, in one process, on one core.

3,100 agencies (about the number of agency units in the country) × the 1397 catalogue, with
believable random answers (karnameh.scoring.sample), read back from JSON the way answers come
out of the database or an answers file. Prints gauges per second and peak memory; the figures
are recorded in docs/performance.md. Run with ``make bench``.
"""

import argparse
import gc
import json
import os
import platform
import random
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

from karnameh.scoring import Scorer, load_catalogue
from karnameh.scoring.sample import random_answers

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "catalogues" / "provincial-1397-general.yaml"
TARGET = 150_000  # gauges per second on one core: the whole country in under 3 s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=3100)
    parser.add_argument("--seed", type=int, default=1397)
    parser.add_argument("--rounds", type=int, default=3, help="best of this many runs")
    options = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        # One core, as the target says: the engine itself uses one thread anyway.
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    catalogue = load_catalogue(CATALOGUE)
    gauges = len(catalogue.gauges())
    rng = random.Random(options.seed)  # noqa: S311 - sample data, not secrets
    answers = [
        json.loads(json.dumps(random_answers(catalogue, rng)), parse_float=Decimal)
        for _ in range(options.agencies)
    ]
    scorer = Scorer(catalogue)
    total = options.agencies * gauges
    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"Karnameh scoring benchmark ({python}, one core)")
    print(f"{catalogue.code}: {gauges} gauges × {options.agencies:,} agencies = {total:,} gauges")

    best, best_cpu = float("inf"), 0.0
    results = []
    for _ in range(options.rounds):
        results = []
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        results = scorer.score_all(answers)
        took = time.perf_counter() - wall
        if took < best:
            best, best_cpu = took, time.process_time() - cpu

    gc.disable()  # as in score_all: sentences are strings, no cycles to collect
    wall = time.perf_counter()
    for result in results:
        for gauge in result.gauges():
            gauge.explanation  # noqa: B018 - building every sentence is what is measured
    explain = time.perf_counter() - wall
    gc.enable()

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = total / best
    met = "met" if rate >= TARGET else "NOT met"
    statuses: dict[str, int] = {}
    for result in results:
        for gauge in result.gauges():
            statuses[gauge.status] = statuses.get(gauge.status, 0) + 1
    rounds = options.rounds
    print(f"scores, statuses and totals: {best:.2f} s ({best_cpu:.2f} s CPU), best of {rounds}")
    print(f"  {rate:,.0f} gauges/s (target {TARGET:,}: {met})")
    both = total / (best + explain)
    print(f"writing every explanation as well: +{explain:.2f} s, {both:,.0f} gauges/s")
    print(f"peak memory (RSS), answers and every result kept: {peak:,.0f} MB")
    print("statuses: " + ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items())))
    mean = sum(r.total for r in results) / len(results)
    print(f"mean total: {mean:.2f} of {catalogue.max_score}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
