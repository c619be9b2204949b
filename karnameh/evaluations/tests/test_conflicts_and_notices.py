"""Evaluators are told of their assignments; declared conflicts are listed, declared over the
API, and withdrawn by staff with a reason (kept on record); every refusal changes nothing."""

import json

import pytest
from django.test import Client

from karnameh.accounts.models import Role
from karnameh.agencies.models import Agency, Province
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import DomainError, Forbidden
from karnameh.common.factories import user_with_role
from karnameh.cycles.tests.builders import open_cycle, participation
from karnameh.evaluations.models import ConflictDeclaration
from karnameh.evaluations.services import (
    assignment_add,
    assignment_remove,
    assignments_apply,
    conflict_declare,
    conflict_withdraw,
)
from karnameh.evaluations.suggest import conflict_reason
from karnameh.notifications.models import Notification
from tests.test_persian_digits import ascii_digits_shown

from .helpers import evaluator, state


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, path: str, body: dict[str, object]):
    return client.post(path, json.dumps(body), content_type="application/json")


def _declared(actor, person, code: str = "AR-EF") -> ConflictDeclaration:
    return conflict_declare(
        actor=actor,
        evaluator=person,
        agency=Agency.objects.get(code=code),
        reason="همسر ایشان مدیر مالی این اداره است.",
    )


def _everything() -> tuple[object, ...]:
    return (
        state(),
        list(ConflictDeclaration.objects.values_list("pk", "withdrawn_at", "withdrawal_reason")),
        Notification.objects.count(),
    )


def test_the_evaluator_is_told_of_an_assignment_and_of_its_removal(demo, demo_user):
    # given
    cycle = open_cycle()
    person = demo_user("evaluator")
    # when
    given = assignment_add(
        actor=demo_user("staff"),
        participation=participation(cycle, "AR-EF"),
        evaluator=person,
        scope="general",
        axes=["2", "3"],
    )
    assignment_remove(actor=demo_user("staff"), assignment=given, reason="جابه‌جایی ارزیابان")
    # then
    told, removed = Notification.objects.filter(user=person).order_by("pk")
    assert told.kind == "evaluation_assigned" and told.url == f"/evaluations/{cycle.pk}/queue/"
    assert "۲، ۳" in told.body and Agency.objects.get(code="AR-EF").name in told.body
    assert removed.kind == "evaluation_unassigned" and "جابه‌جایی ارزیابان" in removed.body
    assert told.title.startswith("ارزیابی به شما سپرده شد")
    assert ascii_digits_shown(told.title + told.body) == []


def test_an_applied_suggestion_tells_each_evaluator_once_with_all_their_agencies(demo, demo_user):
    # given
    cycle = open_cycle()
    person = demo_user("evaluator")
    pairs = [(participation(cycle, code), person) for code in ("AR-EF", "AR-TAX")]
    # when
    assignments_apply(actor=demo_user("staff"), cycle=cycle, scope="general", proposal=pairs)
    # then
    (told,) = Notification.objects.filter(user=person)
    assert all(p.agency.name in told.body for p, _person in pairs)
    assert Notification.objects.exclude(user=person).count() == 0


def test_a_refused_assignment_tells_nobody(demo, demo_user):
    cycle = open_cycle()
    before = _everything()
    with pytest.raises(DomainError):
        assignment_add(
            actor=demo_user("staff"),
            participation=participation(cycle, "AR-EF"),
            evaluator=demo_user("evaluator"),
            scope="general",
            axes=["99"],
        )
    assert _everything() == before


def test_staff_withdraw_a_declaration_with_a_reason_and_the_evaluator_may_be_assigned(
    demo, demo_user
):
    # given: a declared conflict keeps the evaluator off AR-EF
    person = demo_user("evaluator")
    declaration = _declared(person, person)
    ef = Agency.objects.get(code="AR-EF")
    assert conflict_reason(person, ef) is not None
    # when
    conflict_withdraw(actor=demo_user("staff"), declaration=declaration, reason="اشتباه ثبت شد.")
    # then: kept, marked, audited; the rule no longer counts it
    kept = ConflictDeclaration.objects.get(pk=declaration.pk)
    assert kept.withdrawn_at is not None and kept.withdrawal_reason == "اشتباه ثبت شد."
    assert kept.withdrawn_by == demo_user("staff")
    assert AuditEvent.objects.filter(action="evaluation.conflict_withdraw").count() == 1
    assert conflict_reason(person, ef) is None


@pytest.mark.parametrize(
    ("who", "reason", "error"),
    [
        ("evaluator", "دیگر مانعی نیست.", Forbidden),  # an evaluator may not lift their own
        ("ilam-staff", "دیگر مانعی نیست.", Forbidden),
        ("staff", "   ", DomainError),
    ],
)
def test_refused_withdrawals_change_nothing(demo, demo_user, who, reason, error):
    person = demo_user("evaluator")
    declaration = _declared(demo_user("staff"), person)
    actor = (
        user_with_role(Role.STAFF, province=Province.objects.get(code="ilam"))
        if who == "ilam-staff"
        else demo_user(who)
    )
    before = _everything()
    with pytest.raises(error):
        conflict_withdraw(actor=actor, declaration=declaration, reason=reason)
    assert _everything() == before


def test_a_conflict_is_declared_once_and_withdrawn_once(demo, demo_user):
    person = demo_user("evaluator")
    declaration = _declared(person, person)
    before = _everything()
    with pytest.raises(DomainError) as twice:
        _declared(demo_user("staff"), person)
    assert twice.value.code == "already_declared" and _everything() == before
    conflict_withdraw(actor=demo_user("staff"), declaration=declaration, reason="اشتباه")
    before = _everything()
    with pytest.raises(DomainError) as again:
        conflict_withdraw(actor=demo_user("staff"), declaration=declaration, reason="اشتباه")
    assert again.value.code == "already_withdrawn" and _everything() == before
    # once withdrawn, the same conflict may be declared again
    assert _declared(person, person).withdrawn_at is None


def test_the_api_declares_lists_and_withdraws(demo, demo_user):
    # given
    cycle = open_cycle()
    base = f"/api/v1/evaluations/{cycle.pk}/conflicts"
    person, other = demo_user("evaluator"), evaluator("other")
    _declared(demo_user("staff"), other, "AR-TAX")
    # when: the evaluator declares their own; each lists
    made = _post(
        _client(person), base, {"evaluator": "evaluator", "agency": "AR-EF", "reason": "خویشاوندی"}
    )
    staff_list = _client(demo_user("staff")).get(base).json()
    own_list = _client(person).get(base).json()
    # then
    assert made.status_code == 201 and made.json()["agency"] == "AR-EF"
    assert sorted(row["evaluator"] for row in staff_list) == ["evaluator", "other"]
    assert [row["agency"] for row in own_list] == ["AR-EF"]
    # when: the evaluator tries to withdraw it, then staff do
    url = f"{base}/{made.json()['id']}/withdraw"
    before = _everything()
    refused = _post(_client(person), url, {"reason": "دیگر مانعی نیست"})
    assert refused.status_code == 403 and _everything() == before
    done = _post(_client(demo_user("staff")), url, {"reason": "اشتباه ثبت شد"})
    assert done.status_code == 200 and done.json()["withdrawn_at"] is not None


def test_the_api_refuses_an_agency_of_another_province_and_hides_others_declarations(
    demo, demo_user
):
    cycle = open_cycle()
    base = f"/api/v1/evaluations/{cycle.pk}/conflicts"
    declaration = _declared(demo_user("staff"), evaluator("other"), "AR-TAX")
    before = _everything()
    elsewhere = Agency.objects.exclude(province__code="ardabil").first()
    assert elsewhere is not None
    refused = _post(
        _client(demo_user("staff")),
        base,
        {"evaluator": "evaluator", "agency": elsewhere.code, "reason": "دلیل"},
    )
    hidden = _post(
        _client(demo_user("evaluator")), f"{base}/{declaration.pk}/withdraw", {"reason": "x"}
    )
    assert refused.status_code == 400 and refused.json()["code"] == "no_such_agency"
    assert hidden.status_code == 404
    assert _everything() == before


def test_the_board_lists_declarations_and_staff_withdraw_from_it(demo, demo_user):
    # given
    cycle = open_cycle()
    declaration = _declared(demo_user("staff"), demo_user("evaluator"))
    staff = _client(demo_user("staff"))
    # when
    board = staff.get(f"/evaluations/{cycle.pk}/").content.decode()
    empty = staff.post(
        f"/evaluations/{cycle.pk}/conflict/{declaration.pk}/withdraw/", {"reason": ""}, follow=True
    )
    still = ConflictDeclaration.objects.get(pk=declaration.pk).withdrawn_at
    done = staff.post(
        f"/evaluations/{cycle.pk}/conflict/{declaration.pk}/withdraw/",
        {"reason": "اشتباه ثبت شد"},
        follow=True,
    )
    queue = _client(demo_user("evaluator")).get(f"/evaluations/{cycle.pk}/queue/")
    # then
    assert f'data-testid="conflict-{declaration.pk}"' in board and "withdraw/" in board
    assert (
        still is None and "بنویسید چرا اعلام تعارض منافع پس گرفته می‌شود." in empty.content.decode()
    )
    assert ConflictDeclaration.objects.get(pk=declaration.pk).withdrawn_at is not None
    assert "اعلام تعارض منافع پس گرفته شد." in done.content.decode()
    assert "اشتباه ثبت شد" in done.content.decode()
    body = queue.content.decode()
    assert f'data-testid="conflict-{declaration.pk}"' in body and "withdraw/" not in body
    assert ascii_digits_shown(board) == [] and ascii_digits_shown(body) == []
