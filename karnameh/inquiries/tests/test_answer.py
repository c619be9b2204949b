"""Answering and correcting: by the body's users, by staff from a letter; every refusal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.agencies.models import Province
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import DomainError, Forbidden
from karnameh.inquiries.models import How, State
from karnameh.inquiries.services import inquiry_answer, inquiry_correct

from .helpers import WELFARE, assessor, inquiry, letter, lock, sent_cycle, state


def _answer(user, found, answers=None, **kw):
    return inquiry_answer(actor=user, inquiry=found, answers=answers or WELFARE, **kw)


def test_the_body_answers_in_the_system_and_the_engine_scores_each_gauge(demo, demo_user):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    # when
    saved = _answer(demo_user("assessor"), found)
    # then
    found.refresh_from_db()
    assert (found.state, found.how, found.version) == (State.ANSWERED, How.SYSTEM, 1)
    assert found.answer["6.5.2"] == {"score": 5.5}
    assert found.scores == {"6.5.1": "7", "6.5.2": "5.5", "6.5.3": "0", "6.5.4": "7.5"}
    assert found.answered_by == demo_user("assessor")
    assert saved["changed"] is True
    event = AuditEvent.objects.get(action="inquiry.answer")
    assert event.changes["scores"][1] == found.scores


def test_figures_are_scored_by_the_gauges_rules(demo):
    # given: the governorate's complaints («سامد») and finance's «سادا» figures
    cycle = sent_cycle(agencies=("AR-ED",))
    governorate = assessor("gov", "governorate")
    finance = assessor("fin", "finance")
    samad = {
        "6.4.1": {"fields": {"received": "100", "handled": "45"}},
        "6.4.2": {"fields": {"received": 10, "handled": 9}},
        "6.4.3": {
            "fields": {
                "mean_response_days": "8",
                "received": "100",
                "sample_size": "20",
                "sample_report": True,
            }
        },
    }
    # when
    _answer(governorate, inquiry(cycle, "samad", "AR-ED"), samad)
    _answer(finance, inquiry(cycle, "sada", "AR-ED"), {"5.2.1": {"fields": {"actual": "۸۰"}}})
    # then: 45% is half of 7, 90% all of 3, 8 days with a valid sample all of 10; 80% of 8
    assert inquiry(cycle, "samad", "AR-ED").scores == {"6.4.1": "3.5", "6.4.2": "3", "6.4.3": "10"}
    assert inquiry(cycle, "sada", "AR-ED").scores == {"5.2.1": "6.4"}


@pytest.mark.parametrize(
    ("answers", "code", "words"),
    [
        ({**WELFARE, "6.5.1": {"score": 9}}, "bad_answer", ["۶.۵.۱", "۷٫۵", "9"]),
        ({**WELFARE, "4.2.1": {"score": 1}}, "unknown_gauge", ["۴.۲.۱", "۶.۵.۱"]),
        ({"6.5.1": {"score": 1}}, "missing_gauge", ["۶.۵.۲"]),
        ({**WELFARE, "6.5.3": {"choice": "yes"}}, "bad_answer", ["۶.۵.۳"]),
        ({**WELFARE, "6.5.4": {"score": "بسیار"}}, "bad_answer", ["۶.۵.۴"]),
        ({}, "empty_answer", []),
    ],
)
def test_a_wrong_answer_is_refused_with_a_message_naming_the_gauge(
    demo, demo_user, answers, code, words
):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    before = state()
    # when
    with translation.override("fa"), pytest.raises(DomainError) as refused:
        inquiry_answer(actor=demo_user("assessor"), inquiry=found, answers=answers)
    # then
    assert refused.value.code == code
    for word in words:
        assert word in refused.value.message
    assert state() == before


def test_the_score_above_the_max_names_the_problem_in_persian(demo, demo_user):
    # given: the catalogue's Persian for the message (tests/test_translations checks it is there)
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    # when
    with translation.override("fa"), pytest.raises(DomainError) as refused:
        _answer(demo_user("assessor"), found, {**WELFARE, "6.5.1": {"score": 9}})
    # then
    assert refused.value.message.startswith("نماگر ۶.۵.۱")


@pytest.mark.parametrize(
    "username",
    ["staff", "evaluator", "agency", "office", "hq", "deputy", "council", "national", "admin"],
)
def test_only_the_bodys_users_answer_in_the_system(demo, demo_user, username):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    before = state()
    # when
    with pytest.raises(Forbidden):
        _answer(demo_user(username), found)
    # then
    assert state() == before


def test_another_bodys_user_may_not_answer(demo):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    other = assessor("green", "environment")
    before = state()
    # when
    with pytest.raises(Forbidden):
        _answer(other, found)
    # then
    assert state() == before


def test_an_answered_inquiry_is_corrected_not_answered_again(demo, demo_user):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    _answer(demo_user("assessor"), found)
    before = state()
    # when
    with pytest.raises(DomainError) as refused:
        _answer(demo_user("assessor"), found)
    # then
    assert refused.value.code == "already_answered"
    assert state() == before


def test_a_retried_request_with_the_same_key_is_applied_once(demo, demo_user):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    first = _answer(demo_user("assessor"), found, key="k-1")
    # when
    again = _answer(demo_user("assessor"), found, key="k-1")
    # then
    assert again["replayed"] is True
    assert again["version"] == first["version"] == 1
    assert AuditEvent.objects.filter(action="inquiry.answer").count() == 1


def test_the_body_corrects_its_answer_with_a_reason(demo, demo_user):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    _answer(demo_user("assessor"), found)
    # when
    saved = inquiry_correct(
        actor=demo_user("assessor"),
        inquiry=found,
        answers={**WELFARE, "6.5.3": {"score": 6}},
        version=1,
        reason="بازدید دوم: آسانسور نصب شده است",
    )
    # then
    found.refresh_from_db()
    assert (saved["version"], found.scores["6.5.3"]) == (2, "6")
    event = AuditEvent.objects.get(action="inquiry.correct")
    assert event.reason.startswith("بازدید دوم")
    assert event.changes["scores"][0]["6.5.3"] == "0"


@pytest.mark.parametrize("case", ["no_reason", "stale", "not_answered", "locked", "forbidden"])
def test_a_refused_correction_changes_nothing(demo, demo_user, case):
    # given
    cycle = sent_cycle()
    found = inquiry(cycle, "accessibility", "AR-ED")
    if case != "not_answered":
        _answer(demo_user("assessor"), found)
    if case == "locked":
        lock(cycle)
    actor = demo_user("staff" if case == "forbidden" else "assessor")
    before = state()
    # when
    with pytest.raises(DomainError) as refused:
        inquiry_correct(
            actor=actor,
            inquiry=found,
            answers={**WELFARE, "6.5.3": {"score": 6}},
            version=0 if case == "stale" else 1,
            reason="" if case == "no_reason" else "نامهٔ اصلاحی",
        )
    # then
    assert (
        refused.value.code
        == {
            "no_reason": "reason_required",
            "stale": "conflict",
            "not_answered": "not_answered",
            "locked": "scores_locked",
            "forbidden": "forbidden",
        }[case]
    )
    assert state() == before


def test_a_stale_correction_carries_both_answers(demo, demo_user):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    _answer(demo_user("assessor"), found)
    # when
    with pytest.raises(DomainError) as refused:
        inquiry_correct(
            actor=demo_user("assessor"),
            inquiry=found,
            answers={**WELFARE, "6.5.3": {"score": 6}},
            version=0,
            reason="x",
        )
    # then
    assert refused.value.status_code == 409
    assert refused.value.theirs["answer"]["6.5.3"] == {"score": 0}  # type: ignore[attr-defined]
    assert refused.value.mine["answer"]["6.5.3"] == {"score": 6}  # type: ignore[attr-defined]


def test_no_answer_once_the_deputy_has_approved_the_scores(demo, demo_user):
    # given
    cycle = sent_cycle()
    lock(cycle)
    found = inquiry(cycle, "accessibility", "AR-ED")
    before = state()
    # when
    with pytest.raises(DomainError) as refused:
        _answer(demo_user("assessor"), found)
    # then
    assert refused.value.code == "scores_locked"
    assert state() == before


def test_staff_enter_the_answer_from_the_bodys_letter(demo, demo_user):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    # when
    _answer(
        demo_user("staff"), found, how=How.LETTER, letter=letter(), reference="۱۲۳/ب مورخ ۱۴۰۳/۰۵/۱"
    )
    # then
    found.refresh_from_db()
    assert (found.how, found.state) == (How.LETTER, State.ANSWERED)
    assert found.letter.name == "نامهٔ بهزیستی.pdf"
    assert found.reference.startswith("۱۲۳/ب")
    assert AuditEvent.objects.get(action="inquiry.answer").changes["letter"][1] == found.letter.name


@pytest.mark.parametrize("case", ["no_letter", "assessor", "other_province", "agency"])
def test_a_refused_entry_from_a_letter_changes_nothing(demo, demo_user, case):
    # given
    cycle = sent_cycle()
    found = inquiry(cycle, "accessibility", "AR-ED")
    actor = {
        "no_letter": demo_user("staff"),
        "assessor": demo_user("assessor"),
        "agency": demo_user("agency"),
        "other_province": None,
    }[case]
    if actor is None:
        actor = User.objects.create_user(username="ilam-staff", password="x")
        RoleAssignment.objects.create(
            user=actor, role=Role.STAFF, province=Province.objects.get(code="ilam")
        )
    before = state()
    # when
    with pytest.raises(DomainError) as refused:
        _answer(actor, found, how=How.LETTER, letter=None if case == "no_letter" else letter())
    # then
    assert refused.value.code == ("letter_required" if case == "no_letter" else "forbidden")
    assert state() == before


def test_a_letter_that_is_not_a_document_is_refused(demo, demo_user):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    before = state()
    fake = SimpleUploadedFile("نامه.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    # when
    with pytest.raises(DomainError):
        _answer(demo_user("staff"), found, how=How.LETTER, letter=fake)
    # then
    assert state() == before
