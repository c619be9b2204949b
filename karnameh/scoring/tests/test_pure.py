"""The engine is a plain Python library: scoring needs no Django, no database, no settings."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = """
import sys
from karnameh.scoring import Scorer, load_catalogue
catalogue = load_catalogue("catalogues/provincial-1397-general.yaml")
result = Scorer(catalogue).score({"6.4.1": {"fields": {"received": 200, "handled": 119}}})
print(result.gauge("6.4.1").score, sorted(m for m in sys.modules if m.split(".")[0] == "django"))
"""


def test_scoring_imports_nothing_of_django():
    # when: a fresh interpreter loads the shipped catalogue and scores with it
    run = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    # then
    assert run.returncode == 0, run.stderr[-500:]
    assert run.stdout.strip() == "3.50 []"
