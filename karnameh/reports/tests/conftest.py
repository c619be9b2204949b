"""The one way the reports' tests read a PDF back as text.

Reading PDFs needs poppler's ``pdftotext`` and WeasyPrint needs Pango: without them the tests
that ask for ``pdftotext`` are skipped locally with a reason, and fail in CI (``CI`` set),
where a skip would hide them.
"""

import os
import shutil
import subprocess
from typing import Any

import pytest


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"PDF tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def pdftotext() -> Any:
    found = shutil.which("pdftotext") or ""
    if not found:
        _unavailable("pdftotext is missing (apt-get install poppler-utils)")
    try:
        import weasyprint  # noqa: F401
    except OSError as error:  # Pango missing: WeasyPrint cannot load
        _unavailable(f"WeasyPrint cannot load Pango: {error}")

    def read(content: bytes) -> str:
        done = subprocess.run(  # noqa: S603 (a fixed local tool)
            [found, "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
        )
        return done.stdout.decode()

    return read
