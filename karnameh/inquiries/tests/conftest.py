"""Uploads land in a temporary folder; the standing topics are there even after a flush."""

from pathlib import Path

import pytest

from karnameh.inquiries.standing import install_standing


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _topics(db: None) -> None:
    # Migration 0002 installs them; a transactional test elsewhere may have emptied the tables.
    install_standing()
