"""Specific indicators and MoU versions: allowed, refused (nothing changed), audited."""

from decimal import Decimal

import pytest
import time_machine

from karnameh.agreements.models import Agreement, AgreementStatus, Target
from karnameh.agreements.selectors import agreed_targets, current_agreement, targets_needed
from karnameh.agreements.services import (
    TargetsRejected,
    agreement_approve,
    agreement_impose,
    agreement_start,
    slice_create,
    specific_assign,
    targets_set,
)
from karnameh.assessments.models import Answer
from karnameh.assessments.services import answer_save
from karnameh.audit.models import AuditEvent
from karnameh.catalogue.models import Catalogue, Status
from karnameh.common.errors import DomainError, Forbidden
from karnameh.cycles.models import Participation
from karnameh.cycles.tests.builders import after_step, participation, step_day

from .builders import all_targets, as_decimal, specific


def _state() -> list[object]:
    """Everything a refused change must leave as it was."""
    return [
        list(
            Agreement.objects.order_by("pk").values_list(
                "version", "status", "agency_approved_at", "organization_approved_at"
            )
        ),
        list(Target.objects.order_by("pk").values_list("part", "gauge_code", "value")),
        list(Participation.objects.order_by("pk").values_list("specific_catalogue_id")),
        list(Catalogue.objects.order_by("pk").values_list("code", "status")),
        AuditEvent.objects.count(),
    ]


def _agreed(ready, demo_user, value: str = "80") -> Agreement:
    draft = agreement_start(actor=demo_user("staff"), participation=ready)
    targets_set(actor=demo_user("staff"), agreement=draft, targets=all_targets(ready, value))
    agreement_approve(actor=demo_user("agency"), agreement=draft, side="agency")
    return agreement_approve(actor=demo_user("staff"), agreement=draft, side="organization")


def test_targets_needed_are_the_star_gauges_of_both_parts(ready):
    # when
    needed = [(part, gauge.code) for part, _i, gauge in targets_needed(ready)]
    # then: 13 «*» gauges of the 1397 general catalogue, and S.1.1 (S.1.2 has a number)
    assert len(needed) == 14
    assert ("general", "1.1.1") in needed
    assert ("specific", "S.1.1") in needed
    assert ("specific", "S.1.2") not in needed


def test_staff_assign_a_draft_specific_catalogue_which_is_frozen_and_audited(cycle, demo_user):
    # given
    catalogue = specific()
    # when
    specific_assign(
        actor=demo_user("staff"), participation=participation(cycle, "AR-ED"), catalogue=catalogue
    )
    # then
    assert participation(cycle, "AR-ED").specific_catalogue == catalogue
    assert Catalogue.objects.get(pk=catalogue.pk).status == Status.FROZEN
    assert AuditEvent.objects.filter(action="specific.assign").count() == 1


def test_staff_assign_a_shared_draft_which_is_frozen_for_the_cycle(cycle, demo_user):
    # given: specific indicators shared by every province, which staff cannot freeze alone
    catalogue = specific("shared-1403-ed-specific", province=None)
    # when
    specific_assign(
        actor=demo_user("staff"), participation=participation(cycle, "AR-ED"), catalogue=catalogue
    )
    # then
    assert Catalogue.objects.get(pk=catalogue.pk).status == Status.FROZEN


@pytest.mark.parametrize("case", ["agency_user", "general", "other_year"])
def test_specific_assign_is_refused_and_nothing_changes(cycle, demo_user, case):
    # given
    actor = demo_user("agency" if case == "agency_user" else "staff")
    if case == "general":
        catalogue = Catalogue.objects.get(code="provincial-1397-general")
    else:
        catalogue = specific(year=1402 if case == "other_year" else 1403)
    before = _state()
    # when
    with pytest.raises(DomainError) as refused:
        specific_assign(
            actor=actor, participation=participation(cycle, "AR-ED"), catalogue=catalogue
        )
    # then
    assert (
        refused.value.code
        == {
            "agency_user": "forbidden",
            "general": "not_specific",
            "other_year": "other_cycle",
        }[case]
    )
    assert _state() == before


def test_specific_assign_is_refused_once_the_specific_part_is_answered(ready, demo_user):
    # given
    Answer.objects.create(participation=ready, part="specific", gauge_code="S.1.1", data={})
    other = specific("ardabil-1403-other")
    before = _state()
    # when
    with pytest.raises(DomainError) as refused:
        specific_assign(actor=demo_user("staff"), participation=ready, catalogue=other)
    # then
    assert refused.value.code == "answered"
    assert _state() == before


def test_a_provincial_slice_is_a_copy_of_a_national_catalogue_assigned_to_the_agency(
    cycle, demo_user
):
    # given: national specific indicators shared by every province
    source = specific("national-1403-ed", province=None, level="national", frozen=True)
    # when
    copy = slice_create(
        actor=demo_user("staff"),
        participation=participation(cycle, "AR-ED"),
        source=source,
        code="ardabil-1403-ed-slice",
        title="برش استانی آموزش و پرورش",
    )
    # then
    assert (copy.province.code, copy.copied_from, copy.status) == (
        "ardabil",
        source,
        Status.FROZEN,
    )
    assert participation(cycle, "AR-ED").specific_catalogue == copy


def test_a_slice_of_a_provincial_catalogue_is_refused(cycle, demo_user):
    # given
    source = specific(frozen=True)
    before = _state()
    # when
    with pytest.raises(DomainError) as refused:
        slice_create(
            actor=demo_user("staff"),
            participation=participation(cycle, "AR-ED"),
            source=source,
            code="ardabil-1403-x",
            title="برش",
        )
    # then
    assert refused.value.code == "not_national_specific"
    assert _state() == before


def test_start_numbers_versions_and_copies_the_latest_targets(ready, demo_user):
    # given
    first = _agreed(ready, demo_user, "70")
    # when
    second = agreement_start(actor=demo_user("agency"), participation=ready)
    # then
    assert (first.version, second.version, second.status) == (1, 2, AgreementStatus.DRAFT)
    assert as_decimal(all_targets(ready, "70")) == {
        (t.part, t.gauge_code): t.value for t in second.targets.all()
    }


def test_start_is_refused_while_a_draft_is_open(ready, demo_user):
    # given
    agreement_start(actor=demo_user("staff"), participation=ready)
    before = _state()
    # when
    with pytest.raises(DomainError) as refused:
        agreement_start(actor=demo_user("agency"), participation=ready)
    # then
    assert refused.value.code == "draft_open"
    assert _state() == before


def test_targets_accept_persian_digits_and_changes_take_back_approvals(ready, demo_user):
    # given
    draft = agreement_start(actor=demo_user("staff"), participation=ready)
    targets_set(actor=demo_user("staff"), agreement=draft, targets={("general", "1.1.1"): "۸۰"})
    # an approval given on the earlier numbers
    Agreement.objects.filter(pk=draft.pk).update(agency_approved_at=ready.cycle.published_at)
    # when
    changed = targets_set(
        actor=demo_user("agency"), agreement=draft, targets={("general", "1.1.1"): "۹۲٫۵"}
    )
    # then
    assert changed.targets.get(gauge_code="1.1.1").value == Decimal("92.5")
    assert changed.agency_approved_at is None
    assert AuditEvent.objects.filter(action="agreement.targets_set").count() == 2


LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        (("general", "9.9.9"), "10"),
        (("general", "1.1.2"), "10"),
        (("specific", "S.1.2"), "10"),
        (("general", "1.1.1"), "-5"),
        (("general", "1.1.1"), "بسیار"),
        (("general", "1.1.1"), "0.1234567"),
    ],
)
def test_bad_targets_are_refused_naming_the_gauge_and_nothing_changes(ready, demo_user, key, value):
    # given
    draft = agreement_start(actor=demo_user("staff"), participation=ready)
    before = _state()
    # when
    with pytest.raises(TargetsRejected) as refused:
        targets_set(
            actor=demo_user("staff"),
            agreement=draft,
            targets={("general", "1.2.1"): "50", key: value},
        )
    # then: the one bad gauge is named, the good one is not saved either
    assert list(refused.value.problems) == [key]
    assert key[1] in refused.value.problems[key].translate(LATIN)
    assert _state() == before


def test_targets_of_a_version_no_longer_a_draft_are_refused(ready, demo_user):
    # given
    agreed = _agreed(ready, demo_user)
    before = _state()
    # when
    with pytest.raises(DomainError) as refused:
        targets_set(actor=demo_user("staff"), agreement=agreed, targets={("general", "1.1.1"): "1"})
    # then
    assert refused.value.code == "not_draft"
    assert _state() == before


def test_approval_with_missing_targets_is_refused_listing_them(ready, demo_user):
    # given
    draft = agreement_start(actor=demo_user("staff"), participation=ready)
    targets = all_targets(ready)
    del targets[("specific", "S.1.1")]
    targets_set(actor=demo_user("staff"), agreement=draft, targets=targets)
    before = _state()
    # when
    with pytest.raises(DomainError) as refused:
        agreement_approve(actor=demo_user("agency"), agreement=draft, side="agency")
    # then
    assert refused.value.code == "missing_targets"
    assert "S.1.1" in refused.value.message.translate(LATIN)
    assert _state() == before


def test_each_side_approves_only_for_itself(ready, demo_user):
    # given
    draft = agreement_start(actor=demo_user("staff"), participation=ready)
    targets_set(actor=demo_user("staff"), agreement=draft, targets=all_targets(ready))
    before = _state()
    # when / then
    with pytest.raises(Forbidden):
        agreement_approve(actor=demo_user("agency"), agreement=draft, side="organization")
    with pytest.raises(Forbidden):
        agreement_approve(actor=demo_user("staff"), agreement=draft, side="agency")
    assert _state() == before


def test_both_sides_approve_then_it_is_agreed_and_in_force(ready, demo_user):
    # given
    draft = agreement_start(actor=demo_user("staff"), participation=ready)
    targets_set(actor=demo_user("staff"), agreement=draft, targets=all_targets(ready))
    # when
    one = agreement_approve(actor=demo_user("office"), agreement=draft, side="agency")
    both = agreement_approve(actor=demo_user("staff"), agreement=draft, side="organization")
    # then
    assert one.status == AgreementStatus.DRAFT
    assert both.status == AgreementStatus.AGREED
    assert (both.agency_approved_by, both.organization_approved_by) == (
        demo_user("office"),
        demo_user("staff"),
    )
    assert current_agreement(ready) == both
    assert agreed_targets(ready) == as_decimal(all_targets(ready))


def test_a_new_agreed_version_supersedes_the_one_in_force(ready, demo_user):
    # given
    first = _agreed(ready, demo_user, "70")
    # when
    second = agreement_start(actor=demo_user("staff"), participation=ready)
    targets_set(actor=demo_user("staff"), agreement=second, targets={("general", "1.1.1"): "95"})
    agreement_approve(actor=demo_user("agency"), agreement=second, side="agency")
    agreement_approve(actor=demo_user("staff"), agreement=second, side="organization")
    # then
    assert Agreement.objects.get(pk=first.pk).status == AgreementStatus.SUPERSEDED
    assert current_agreement(ready).version == 2
    assert agreed_targets(ready)[("general", "1.1.1")] == Decimal(95)
    assert agreed_targets(ready)[("general", "1.2.1")] == Decimal(70)


def test_approval_without_specific_indicators_is_refused(cycle, demo_user):
    # given
    bare = participation(cycle, "AR-ED")
    draft = agreement_start(actor=demo_user("staff"), participation=bare)
    targets_set(actor=demo_user("staff"), agreement=draft, targets=all_targets(bare))
    before = _state()
    # when
    with pytest.raises(DomainError) as refused:
        agreement_approve(actor=demo_user("agency"), agreement=draft, side="agency")
    # then
    assert refused.value.code == "no_specific"
    assert _state() == before


def test_staff_impose_targets_after_the_deadline_and_the_draft_is_closed(ready, demo_user):
    # given: a draft the two sides never agreed on
    draft = agreement_start(actor=demo_user("agency"), participation=ready)
    with time_machine.travel(after_step(ready.cycle, 5), tick=False):
        # when
        imposed = agreement_impose(
            actor=demo_user("staff"),
            participation=ready,
            targets=all_targets(ready, "60"),
            reason="تفاهم‌نامه تا پایان مهلت امضا نشد",
        )
    # then
    assert (imposed.status, imposed.version) == (AgreementStatus.IMPOSED, 2)
    assert Agreement.objects.get(pk=draft.pk).status == AgreementStatus.SUPERSEDED
    assert current_agreement(ready) == imposed
    assert agreed_targets(ready) == as_decimal(all_targets(ready, "60"))
    event = AuditEvent.objects.get(action="agreement.impose")
    assert event.reason == "تفاهم‌نامه تا پایان مهلت امضا نشد"


@pytest.mark.parametrize("case", ["before_deadline", "no_reason", "in_force", "agency", "missing"])
def test_impose_is_refused_and_nothing_changes(ready, demo_user, case):
    # given
    if case == "in_force":
        _agreed(ready, demo_user)
    moment = step_day(ready.cycle, 5, offset=10) if case == "before_deadline" else None
    targets = all_targets(ready)
    if case == "missing":
        del targets[("general", "1.1.1")]
    before = _state()
    # when
    with (
        time_machine.travel(moment or after_step(ready.cycle, 5), tick=False),
        pytest.raises(DomainError) as refused,
    ):
        agreement_impose(
            actor=demo_user("agency" if case == "agency" else "staff"),
            participation=ready,
            targets=targets,
            reason="" if case == "no_reason" else "مهلت گذشت",
        )
    # then
    assert (
        refused.value.code
        == {
            "before_deadline": "before_deadline",
            "no_reason": "reason_required",
            "in_force": "in_force",
            "agency": "forbidden",
            "missing": "missing_targets",
        }[case]
    )
    assert _state() == before


def test_an_agreement_after_imposed_targets_replaces_them(ready, demo_user):
    # given
    with time_machine.travel(after_step(ready.cycle, 5), tick=False):
        imposed = agreement_impose(
            actor=demo_user("staff"),
            participation=ready,
            targets=all_targets(ready, "60"),
            reason="مهلت گذشت",
        )
    # when
    agreed = _agreed(ready, demo_user, "75")
    # then
    assert Agreement.objects.get(pk=imposed.pk).status == AgreementStatus.SUPERSEDED
    assert current_agreement(ready) == agreed


def test_a_self_score_against_the_mou_reads_the_target_in_force(ready, demo_user):
    # given: 1.1.1 is scored against the MoU's target («*»), saved before any MoU and after
    def save(version: int) -> dict:
        with time_machine.travel(step_day(ready.cycle, 6), tick=False):
            return answer_save(
                actor=demo_user("agency"),
                participation=participation(ready.cycle, "AR-ED"),
                part="general",
                gauge_code="1.1.1",
                data={"fields": {"actual": 40 + version}},
                version=version,
            )

    before = save(0)
    _agreed(ready, demo_user, "82")
    # when: saved again once every «*» target is 82
    after = save(1)
    # then: without a target it could not be scored; with it, 41 of 82 is half of 35 points
    assert (before["status"], Decimal(before["score"])) == ("invalid", 0)
    assert (after["status"], Decimal(after["score"])) == ("scored", Decimal("17.50"))
