"""«My self-assessment» takes an agency's own users to their workspace."""

from django.test import Client

from karnameh.cycles.tests.builders import open_cycle


def login(username):
    client = Client()
    assert client.login(username=username, password="demo")
    return client


def test_the_agency_user_goes_straight_to_the_open_workspace(demo):
    # given: one published cycle with AR-ED, and a draft one they must not see
    cycle = open_cycle()
    open_cycle(year=1404, published=False)
    # when
    response = login("office").get("/assessments/mine/")
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{cycle.pk}/AR-ED/"


def test_without_a_published_cycle_the_page_says_so(demo):
    open_cycle(published=False)
    response = login("agency").get("/assessments/mine/")
    assert response.status_code == 200
    assert b"/assessments/" not in response.content.split(b"<main", 1)[-1].split(b"</main>")[0]


def test_other_roles_are_refused(demo):
    open_cycle()
    for username in ("staff", "hq", "evaluator"):
        assert login(username).get("/assessments/mine/").status_code == 403
