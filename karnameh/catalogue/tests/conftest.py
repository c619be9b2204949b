import pytest

from .builders import RICH


@pytest.fixture
def rich_text() -> str:
    return RICH.read_text(encoding="utf-8")
