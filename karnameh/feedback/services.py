"""Every change to feedback: checked, saved and audited in one transaction."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import may, require
from karnameh.agencies.models import Agency
from karnameh.audit.services import record
from karnameh.common.errors import DomainError
from karnameh.common.jalali import jalali_year
from karnameh.common.text import persian_digits
from karnameh.cycles.models import Cycle
from karnameh.notifications.services import notify

from .models import (
    RATING_MAX,
    RATING_MIN,
    SURVEY_QUESTIONS,
    TRACKING_PREFIX,
    Feedback,
    FeedbackKind,
    FeedbackStatus,
)

SUBJECT_MAX = Feedback._meta.get_field("subject").max_length or 200


def _whole_number(value: Any) -> int | None:
    """An int, or a string of digits (a form's value, Persian digits included); not 4.5."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def check_ratings(kind: str, ratings: dict[str, Any] | None) -> dict[str, int]:
    """A survey answers every fixed question 1 to 5; other kinds carry no ratings."""
    ratings = ratings or {}
    if kind != FeedbackKind.SURVEY:
        if ratings:
            raise DomainError(_("Only a survey has ratings."), code="invalid_ratings")
        return {}
    problems: list[str] = []
    known = {key for key, _label in SURVEY_QUESTIONS}
    for key in sorted(set(ratings) - known):
        problems.append(_("There is no survey question %(key)s.") % {"key": key})
    checked: dict[str, int] = {}
    for key, label in SURVEY_QUESTIONS:
        value = ratings.get(key)
        if value is None or value == "":
            problems.append(_("Answer the question «%(question)s».") % {"question": label})
            continue
        number = _whole_number(value)
        if number is None or not RATING_MIN <= number <= RATING_MAX:
            problems.append(
                _("The answer to «%(question)s» must be a whole number from %(min)s to %(max)s.")
                % {
                    "question": label,
                    "min": persian_digits(RATING_MIN),
                    "max": persian_digits(RATING_MAX),
                }
            )
            continue
        checked[key] = number
    if problems:
        raise DomainError(" ".join(problems), code="invalid_ratings")
    return checked


def _check_text(kind: str, subject: str, body: str) -> None:
    problems: list[str] = []
    if kind not in FeedbackKind.values:
        problems.append(_("Choose a survey, a complaint or a suggestion."))
    if not subject:
        problems.append(_("Write a subject."))
    elif len(subject) > SUBJECT_MAX:
        problems.append(
            _("The subject may be at most %(max)s characters long.")
            % {"max": persian_digits(SUBJECT_MAX)}
        )
    # A survey's ratings are its content; a complaint or suggestion needs its text.
    if kind != FeedbackKind.SURVEY and not body:
        problems.append(_("Write the text of the complaint or suggestion."))
    if problems:
        raise DomainError(" ".join(problems), code="invalid_feedback")


def feedback_create(
    *,
    actor: Any,
    kind: str,
    agency: Agency,
    subject: str,
    body: str,
    ratings: dict[str, Any] | None = None,
    cycle: Cycle | None = None,
    ip: str | None = None,
) -> Feedback:
    require(actor, "feedback.create", agency)
    subject, body = subject.strip(), body.strip()
    _check_text(kind, subject, body)
    checked = check_ratings(kind, ratings)
    if cycle is not None and not may(actor, "cycle.view", cycle):
        raise DomainError(_("There is no such cycle for your agency."), code="invalid_cycle")
    with transaction.atomic():
        feedback = Feedback.objects.create(
            kind=kind,
            agency=agency,
            author=actor,
            cycle=cycle,
            subject=subject,
            body=body,
            ratings=checked,
        )
        year = jalali_year(timezone.localdate(feedback.created_at))
        feedback.tracking_number = f"{TRACKING_PREFIX}-{year}-{feedback.pk:06d}"
        feedback.save(update_fields=["tracking_number"])
        record(
            actor=actor,
            action="feedback.create",
            target=feedback,
            changes={
                "kind": kind,
                "agency": agency.code,
                "cycle": cycle.pk if cycle else None,
                "subject": subject,
                "ratings": checked,
            },
            ip=ip,
        )
    return feedback


def _locked(feedback: Feedback) -> Feedback:
    return (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("agency", "author")
        .get(pk=feedback.pk)
    )


def feedback_answer(
    *, actor: Any, feedback: Feedback, answer: str, ip: str | None = None
) -> Feedback:
    answer = answer.strip()
    with transaction.atomic():
        locked = _locked(feedback)
        require(actor, "feedback.answer", locked)
        if locked.status != FeedbackStatus.OPEN:
            raise DomainError(
                _("%(number)s is %(status)s; only open feedback can be answered.")
                % {
                    "number": persian_digits(locked.tracking_number),
                    "status": locked.get_status_display(),
                },
                code="not_open",
            )
        if not answer:
            raise DomainError(_("Write the answer."), code="invalid_answer")
        locked.answer = answer
        locked.status = FeedbackStatus.ANSWERED
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answer", "status", "answered_by", "answered_at"])
        record(
            actor=actor,
            action="feedback.answer",
            target=locked,
            changes={"status": [FeedbackStatus.OPEN, FeedbackStatus.ANSWERED], "answer": answer},
            ip=ip,
        )
        # The author reads this later, in the interface's language, not the answerer's.
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Your %(kind)s %(number)s has been answered") % {
                "kind": locked.get_kind_display(),
                "number": persian_digits(locked.tracking_number),
            }
        notify(
            users=[locked.author],
            kind="feedback_answered",
            title=title,
            body=locked.subject,
            url=reverse("feedback:detail", args=[locked.tracking_number]),
        )
    return locked


def feedback_close(*, actor: Any, feedback: Feedback, ip: str | None = None) -> Feedback:
    with transaction.atomic():
        locked = _locked(feedback)
        require(actor, "feedback.close", locked)
        if locked.status == FeedbackStatus.CLOSED:
            raise DomainError(
                _("%(number)s is already closed.")
                % {"number": persian_digits(locked.tracking_number)},
                code="already_closed",
            )
        before = locked.status
        locked.status = FeedbackStatus.CLOSED
        locked.save(update_fields=["status"])
        record(
            actor=actor,
            action="feedback.close",
            target=locked,
            changes={"status": [before, FeedbackStatus.CLOSED]},
            ip=ip,
        )
    return locked
