from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Every test starts cold: the rolled-back database reuses primary keys, and the cache's
    generation would not tell one test's release from another's."""
    cache.clear()
    yield
    cache.clear()
