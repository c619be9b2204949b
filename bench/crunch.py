"""The deadline crunch: saves a second through gunicorn and PostgreSQL (target 150, p95 300 ms).

    .venv/bin/python bench/crunch.py      # about 7 minutes; CRUNCH_SECONDS=60 for a short run

The last hours before the self-assessment closes are nearly all saves. This runs the load
run's whole set-up (reliability/load.py: a fresh PostgreSQL database, the demo, 150 more units
half-way through their self-assessment, gunicorn with the production settings on a loopback
port, locust) with its ``CrunchUser``: ``CRUNCH_USERS`` agency users, each saving a gauge
through the API ``CRUNCH_RATE`` times a second, so the offered load is their product (200 ×
0.8 = 160 saves a second: a little above the target, so that a rate of at least 150 is
measured, not offered exactly and missed by a rounding). Each save is the whole write:
validated, scored, versioned, audited, once per idempotency key. The peak is measured from
``CRUNCH_SETTLE`` seconds (15) after the last user has signed in: 200 sign-ins in 20 s (an
Argon2 hash each) leave saves queued behind them, and at a real deadline people signed in
long before; those seconds are in the ramp's figures, which are reported too.

It fails unless the peak sustained ``CRUNCH_TARGET`` saves a second (150) with a 95th
percentile of at most 300 ms and no failure. A 409 (a colleague saved the same gauge first)
is a correct answer and counted as one. The figures go in docs/performance.md.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

USERS = int(os.environ.get("CRUNCH_USERS") or 200)
RATE = float(os.environ.get("CRUNCH_RATE") or 0.8)
DEFAULTS = {
    "CRUNCH_RATE": str(RATE),  # read by the locustfile's CrunchUser
    "LOAD_CLASS": "CrunchUser",
    "LOAD_TITLE": f"Deadline crunch (saves only, {RATE} a second a user)",
    "LOAD_USERS": str(USERS),
    "LOAD_SECONDS": os.environ.get("CRUNCH_SECONDS") or "180",
    "LOAD_SPAWN_RATE": "10",
    "LOAD_SETTLE": os.environ.get("CRUNCH_SETTLE") or "15",
    "LOAD_MIN_RPS": os.environ.get("CRUNCH_TARGET") or "150",
    "LOAD_MAX_P95_MS": "300",
    "LOAD_REPORT": str(ROOT / "var" / "bench" / "crunch.json"),
}

if __name__ == "__main__":
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    from reliability import load

    sys.exit(load.main())
