"""Uploads of the cycle tests land in a temporary folder."""

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
