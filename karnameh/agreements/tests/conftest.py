import pytest

from karnameh.cycles.tests.builders import open_cycle, participation

from .builders import specific


@pytest.fixture
def cycle(demo):
    """Ardabil 1403, published, with AR-ED, AR-EF, AR-TAX and AR-WEL taking part."""
    return open_cycle()


@pytest.fixture
def ready(cycle, demo_user):
    """AR-ED's participation with frozen specific indicators of its own."""
    found = participation(cycle, "AR-ED")
    found.specific_catalogue = specific(frozen=True)
    found.save(update_fields=["specific_catalogue"])
    return participation(cycle, "AR-ED")
