"""The MoU pages: who sees what, the forms calling the services, constant query counts."""

import io

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from karnameh.agreements.models import Agreement, AgreementStatus, Target
from karnameh.agreements.services import agreement_approve, agreement_start, targets_set
from karnameh.cycles.tests.builders import after_step, open_cycle, participation
from tests.test_persian_digits import ascii_digits_shown

from .builders import all_targets
from .test_excel import workbook


def client_for(demo_user, username: str) -> Client:
    client = Client()
    client.force_login(demo_user(username))
    return client


def _page(ready) -> str:
    return f"/agreements/{ready.cycle_id}/AR-ED/"


def test_the_agency_sees_its_own_mou_in_persian_digits(ready, demo_user):
    # given: an agreed version and a new draft
    draft = agreement_start(actor=demo_user("staff"), participation=ready)
    targets_set(actor=demo_user("staff"), agreement=draft, targets=all_targets(ready, "۸۰٫۵"))
    agreement_approve(actor=demo_user("agency"), agreement=draft, side="agency")
    agreement_approve(actor=demo_user("staff"), agreement=draft, side="organization")
    agreement_start(actor=demo_user("agency"), participation=ready)
    # when
    response = client_for(demo_user, "agency").get(_page(ready))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "۸۰٫۵" in html
    assert 'data-testid="targets-form"' in html
    assert ascii_digits_shown(html) == []


def test_another_agency_and_another_province_are_not_found(ready, demo_user):
    # given
    ilam = open_cycle(province="ilam", agencies=("IL-ED",))
    # when / then
    assert (
        client_for(demo_user, "agency").get(f"/agreements/{ready.cycle_id}/AR-EF/").status_code
        == 404
    )
    assert client_for(demo_user, "staff").get(f"/agreements/{ilam.pk}/IL-ED/").status_code == 404
    assert client_for(demo_user, "staff").get(f"/agreements/{ilam.pk}/").status_code == 404


def test_the_cycle_page_is_for_the_organization(ready, demo_user):
    # when
    staff = client_for(demo_user, "staff").get(f"/agreements/{ready.cycle_id}/")
    agency = client_for(demo_user, "agency").get(f"/agreements/{ready.cycle_id}/")
    # then
    assert staff.status_code == 200
    assert ascii_digits_shown(staff.content.decode()) == []
    assert agency.status_code == 403


def test_targets_typed_in_persian_digits_are_saved_from_the_page(ready, demo_user):
    # given
    draft = agreement_start(actor=demo_user("agency"), participation=ready)
    # when
    response = client_for(demo_user, "agency").post(
        f"{_page(ready)}{draft.pk}/targets/",
        {"t__general__1.1.1": "۷۵", "t__specific__S.1.1": "۱۲٫۵", "reason": ""},
    )
    # then
    assert response.status_code == 302
    assert {t.gauge_code: str(t.value.normalize()) for t in draft.targets.all()} == {
        "1.1.1": "75",
        "S.1.1": "12.5",
    }


def test_a_bad_target_on_the_page_is_shown_and_nothing_saved(ready, demo_user):
    # given
    draft = agreement_start(actor=demo_user("agency"), participation=ready)
    # when
    response = client_for(demo_user, "agency").post(
        f"{_page(ready)}{draft.pk}/targets/",
        {"t__general__1.1.1": "۷۵", "t__general__1.2.1": "-۳"},
    )
    # then
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Target.objects.exists()


def test_both_sides_approve_from_the_page(ready, demo_user):
    # given
    draft = agreement_start(actor=demo_user("staff"), participation=ready)
    targets_set(actor=demo_user("staff"), agreement=draft, targets=all_targets(ready))
    # when
    client_for(demo_user, "office").post(f"{_page(ready)}{draft.pk}/approve/agency/")
    client_for(demo_user, "staff").post(f"{_page(ready)}{draft.pk}/approve/organization/")
    # then
    assert Agreement.objects.get(pk=draft.pk).status == AgreementStatus.AGREED


def test_the_agency_cannot_approve_for_the_organization(ready, demo_user):
    # given
    draft = agreement_start(actor=demo_user("staff"), participation=ready)
    targets_set(actor=demo_user("staff"), agreement=draft, targets=all_targets(ready))
    # when
    response = client_for(demo_user, "agency").post(
        f"{_page(ready)}{draft.pk}/approve/organization/"
    )
    # then
    assert response.status_code == 403
    assert Agreement.objects.get(pk=draft.pk).organization_approved_at is None


def test_staff_impose_from_the_page_after_the_deadline_and_it_is_marked(ready, demo_user):
    # given
    data = {f"impose-t__{p}__{c}": "۶۰" for (p, c) in all_targets(ready)}
    data["impose-reason"] = "مهلت گذشت"
    staff = client_for(demo_user, "staff")
    with time_machine.travel(after_step(ready.cycle, 5), tick=False):
        # when
        response = staff.post(f"{_page(ready)}impose/", data)
        page = staff.get(_page(ready))
    # then
    assert response.status_code == 302
    assert Agreement.objects.get(participation=ready).status == AgreementStatus.IMPOSED
    assert 'data-testid="imposed"' in page.content.decode()


def test_staff_assign_specific_indicators_from_the_page(cycle, demo_user):
    # given
    from .builders import specific

    catalogue = specific()
    # when
    response = client_for(demo_user, "staff").post(
        f"/agreements/{cycle.pk}/AR-ED/assign/", {"catalogue": catalogue.code}
    )
    # then
    assert response.status_code == 302
    assert participation(cycle, "AR-ED").specific_catalogue == catalogue


def test_the_import_page_lists_every_problem_and_saves_nothing(ready, demo_user):
    # given
    content = workbook([["NOPE", "عمومی", "1.1.1", 80], ["AR-ED", "عمومی", "1.1.2", 80]])
    upload = io.BytesIO(content)
    upload.name = "targets.xlsx"
    # when
    response = client_for(demo_user, "staff").post(
        f"/agreements/{ready.cycle_id}/import/", {"file": upload}
    )
    # then
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("<tr><td>") >= 2
    assert ascii_digits_shown(html) == []
    assert not Agreement.objects.exists()


def test_the_template_downloads(ready, demo_user):
    # when
    response = client_for(demo_user, "staff").get(
        f"/agreements/{ready.cycle_id}/import/template.xlsx"
    )
    # then
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).worksheets[0]["A2"].value == "EXAMPLE"


def _mou_for_every_agency(cycle, demo_user, versions: int) -> None:
    for code in ("AR-ED", "AR-EF", "AR-TAX", "AR-WEL"):
        found = participation(cycle, code)
        Agreement.objects.filter(participation=found).update(status=AgreementStatus.SUPERSEDED)
        for _ in range(versions):
            draft = agreement_start(actor=demo_user("staff"), participation=found)
            Agreement.objects.filter(pk=draft.pk).update(status=AgreementStatus.SUPERSEDED)
        agreement_start(actor=demo_user("staff"), participation=found)


@pytest.mark.parametrize("path", ["/agreements/{pk}/", "/agreements/{pk}/AR-ED/"])
def test_pages_cost_the_same_with_few_or_many_versions(
    ready, demo_user, path, django_assert_max_num_queries
):
    # given
    client = client_for(demo_user, "staff")
    url = path.format(pk=ready.cycle_id)
    _mou_for_every_agency(ready.cycle, demo_user, 1)
    client.get(url)  # compiles the catalogues once (kept per process), as any earlier visit
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    # when
    _mou_for_every_agency(ready.cycle, demo_user, 5)
    with django_assert_max_num_queries(40) as many:
        assert client.get(url).status_code == 200
    # then
    assert len(many.captured_queries) == len(few.captured_queries)
