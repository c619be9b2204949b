import pytest


@pytest.fixture(autouse=True)
def _cold(fresh_cache: None) -> None:
    """Every portal test starts cold (the root conftest's ``fresh_cache`` says why)."""
