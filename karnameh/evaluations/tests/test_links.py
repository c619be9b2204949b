"""The cycle's page leads staff to the evaluator board and an evaluator to their queue."""

import pytest
from django.test import Client

from karnameh.cycles.tests.builders import open_cycle


@pytest.mark.parametrize(
    ("username", "board", "queue"),
    [("staff", True, False), ("evaluator", False, True), ("agency", False, False)],
)
def test_the_cycle_page_links_to_evaluation_by_role(demo, demo_user, username, board, queue):
    # given
    cycle = open_cycle()
    client = Client()
    client.force_login(demo_user(username))
    # when
    page = client.get(f"/cycles/{cycle.pk}/").content.decode()
    # then
    assert (f'href="/evaluations/{cycle.pk}/"' in page) is board
    assert (f'href="/evaluations/{cycle.pk}/queue/"' in page) is queue
