"""Persian text people read: these need the objections entries in the catalogue (locale/fa)."""

import pytest
from django.test import Client

from karnameh.common.errors import DomainError
from karnameh.cycles.tests.builders import open_cycle, participation
from karnameh.objections.services import objection_file

from .builders import file, in_window, scored, user


@pytest.fixture
def cycle(demo):
    found = open_cycle()
    scored(found)
    return found


def test_the_refusals_speak_persian(cycle):
    with pytest.raises(DomainError) as late:
        _late(cycle)
    with pytest.raises(DomainError) as unscored:
        file(cycle, gauge="3.1.6")
    assert "مهلت اعتراض" in late.value.message
    assert "هنوز امتیازی ندارد" in unscored.value.message


def _late(cycle) -> None:
    """Filing now, long after the window of the 1403 test cycle."""
    objection_file(
        actor=user("agency"),
        participation=participation(cycle, "AR-ED"),
        part="general",
        gauge_code="3.1.4",
        reasoning="د",
    )


def test_the_agency_page_speaks_persian(cycle):
    client = Client()
    client.force_login(user("agency"))
    with in_window(cycle):
        html = client.get(f"/objections/{cycle.pk}/agency/AR-ED/").content.decode()
    assert "نماگرهای امتیازدار" in html
    assert "ثبت اعتراض" in html
