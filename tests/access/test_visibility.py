"""One object's check agrees with the lists, for every person and object of the state.

A list is filtered in the database (``visible_agencies``, ``visible_participations``); a page
about one participation reads it by its key and asks the rule (``visible_participation``), and
the rule decides an agency from its columns (``sees_agency``) without a query. Each pair must
give the same answer for every person (the ten demo users, the extra agency, province and
evaluator users, a visitor) and every agency and participation in the state, drafts included.
"""

import contextlib
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from karnameh.accounts.models import User
from karnameh.accounts.permissions import sees_agency, visible_agencies
from karnameh.agencies.models import Agency
from karnameh.cycles.models import Participation
from karnameh.cycles.selectors import visible_participation, visible_participations

from .state import World

pytestmark = pytest.mark.django_db


def people() -> list[Any]:
    # A fresh object each: the grants are kept on the user object once read.
    return [*User.objects.order_by("username"), AnonymousUser()]


def test_an_agency_is_seen_exactly_when_the_list_has_it(world: World) -> None:
    agencies = list(Agency.objects.all())
    sizes = set()
    for user in people():
        # when
        listed = set(visible_agencies(user).values_list("pk", flat=True))
        decided = {agency.pk for agency in agencies if sees_agency(user, agency)}
        # then
        assert decided == listed, f"{user}: {sorted(decided ^ listed)}"
        sizes.add(len(listed))
    # and the state holds people who see none, some and all of them
    assert {0, len(agencies)} < sizes


def test_a_participation_is_found_exactly_when_the_list_has_it(world: World) -> None:
    rows = list(Participation.objects.select_related("cycle", "agency"))
    drafts = sum(not p.cycle.is_published for p in rows)
    assert drafts and len(rows) > drafts
    sizes = set()
    for user in people():
        listed = set(visible_participations(user).values_list("pk", flat=True))
        found = set()
        for row in rows:
            # when
            with contextlib.suppress(Http404):
                found.add(visible_participation(user, row.cycle_id, row.agency.code).pk)
        # then
        assert found == listed, f"{user}: {sorted(found ^ listed)}"
        sizes.add(len(listed))
    assert {0, len(rows)} < sizes
