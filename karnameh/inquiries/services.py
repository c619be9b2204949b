"""Every change to inquiries: sending, answering, correcting, reminding. Locked, checked,
saved and audited in one transaction; pages, the API and ``karnameh remind`` call these.

Each service that changes an answer locks the cycle row first (as ``results.services`` does)
and then the inquiry, so an answer and the deputy's final approval never interleave: an answer
that arrives after the approval is refused by ``refuse_if_locked``, not half applied.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.accounts.permissions import require
from karnameh.agreements.selectors import agreed_targets
from karnameh.assessments.answers import BadAnswer, clean_answer
from karnameh.assessments.scoring import self_score
from karnameh.assessments.services import Conflict, once_per_key
from karnameh.audit.services import record
from karnameh.catalogue.store import engine_catalogue
from karnameh.common.errors import DomainError
from karnameh.common.jalali import format_jalali_date, format_jalali_datetime
from karnameh.common.text import normalize_fa, persian_digits
from karnameh.cycles.deadlines import TEHRAN, end_of_day
from karnameh.cycles.models import Cycle, CycleStatus
from karnameh.files.services import DOCUMENT_KINDS, store_upload
from karnameh.notifications import recipients
from karnameh.notifications.services import notify
from karnameh.results.locks import refuse_if_locked
from karnameh.scoring.engine import INVALID, MISSING
from karnameh.scoring.numbers import written

from .models import How, Inquiry, State, Topic
from .selectors import PART, fed_gauges, inquiry_gauges

MAX_REASON = 2000
INBOX_URL = "/inquiries/"


def due_for(sent_at: dt.datetime, days: int) -> dt.datetime:
    """The end of the ``days``-th day after sending, in Tehran (a week: "answer by …")."""
    return end_of_day(sent_at.astimezone(TEHRAN).date() + dt.timedelta(days=days))


def _codes(codes: list[str]) -> str:
    return persian_digits("، ".join(codes))


# --- Sending


def inquiries_send(*, actor: Any, cycle: Cycle, ip: str | None = None) -> list[Inquiry]:
    """Send every topic to every participating agency, adding only what is missing.

    A second send after agencies joined the cycle sends them theirs; one with nothing missing
    changes nothing (and records nothing).
    """
    with transaction.atomic():
        locked = (
            Cycle.objects.select_for_update(of=("self",))
            .select_related("general_catalogue")
            .get(pk=cycle.pk)
        )
        require(actor, "inquiry.manage", locked)
        if locked.status != CycleStatus.PUBLISHED:
            raise DomainError(
                _("Inquiries are sent once the cycle is published and before it closes."),
                code="not_open",
            )
        refuse_if_locked(locked)
        catalogue = engine_catalogue(locked.general_catalogue)
        topics = [
            (topic, [gauge.code for _i, gauge in fed_gauges(topic, catalogue)])
            for topic in Topic.objects.select_related("body")
        ]
        topics = [(topic, codes) for topic, codes in topics if codes]
        if not topics:
            raise DomainError(
                _("No assessing body scores a gauge of this cycle's catalogue."), code="no_topics"
            )
        participations = list(locked.participations.select_related("agency").order_by("agency"))
        if not participations:
            raise DomainError(_("No agency takes part in this cycle yet."), code="no_agencies")
        sent = set(Inquiry.objects.filter(cycle=locked).values_list("participation", "topic"))
        now = timezone.now()
        made = [
            Inquiry(
                topic=topic,
                cycle=locked,
                participation=p,
                gauges=codes,
                sent_at=now,
                sent_by=actor,
                due_at=due_for(now, topic.answer_days),
            )
            for topic, codes in topics
            for p in participations
            if (p.pk, topic.pk) not in sent
        ]
        if not made:
            return []
        Inquiry.objects.bulk_create(made)
        by_topic: dict[str, list[str]] = {}
        for inquiry in made:
            by_topic.setdefault(inquiry.topic.code, []).append(inquiry.participation.agency.code)
        record(
            actor=actor,
            action="inquiry.send",
            target=locked,
            changes={"sent": by_topic, "due": made[0].due_at.isoformat()},
            ip=ip,
        )
        _tell_bodies(locked, made)
    return made


def _tell_bodies(cycle: Cycle, made: list[Inquiry]) -> None:
    """One notification per topic to the body's users: how many agencies, and by when."""
    groups: dict[int, list[Inquiry]] = {}
    for inquiry in made:
        groups.setdefault(inquiry.topic_id, []).append(inquiry)
    with translation.override(settings.LANGUAGE_CODE):
        for rows in groups.values():
            topic = rows[0].topic
            title = _("New inquiry: %(topic)s") % {"topic": topic.title}
            body = ngettext(
                "%(count)s agency of %(cycle)s; answer by %(date)s.",
                "%(count)s agencies of %(cycle)s; answer by %(date)s.",
                len(rows),
            ) % {
                "count": persian_digits(len(rows)),
                "cycle": persian_digits(cycle.title),
                "date": format_jalali_date(rows[0].last_day()),
            }
            notify(
                users=body_users(topic.body_id),
                kind="inquiry",
                title=title,
                body=body,
                url=INBOX_URL,
            )


def body_users(body_id: int) -> QuerySet[User]:
    """The active users answering for one assessing body."""
    holders = RoleAssignment.objects.filter(
        is_active=True, role=Role.ASSESSOR, assessing_body_id=body_id
    )
    return User.objects.filter(is_active=True, pk__in=holders.values("user_id")).order_by("pk")


# --- Answering


def _locked(inquiry: Inquiry) -> Inquiry:
    # The cycle first, as the deputy's approval takes it: see the module's docstring.
    Cycle.objects.select_for_update(of=("self",)).get(pk=inquiry.cycle_id)
    return (
        Inquiry.objects.select_for_update(of=("self",))
        .select_related(
            "topic",
            "topic__body",
            "cycle",
            "cycle__general_catalogue",
            "participation",
            "participation__agency",
            "answered_by",
        )
        .get(pk=inquiry.pk)
    )


def _may_answer(actor: Any, inquiry: Inquiry, how: str) -> None:
    if how in (How.SYSTEM, How.API):
        require(actor, "inquiry.respond", inquiry)
    elif how == How.LETTER:
        require(actor, "inquiry.record", inquiry)
    else:
        raise DomainError(_("Say how the answer came in."), code="invalid_how")


def checked_answer(
    inquiry: Inquiry, answers: Any
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Each gauge's answer as stored (``clean_answer``), and its score by the engine.

    Every gauge the inquiry feeds needs an answer the engine can score; a gauge it does not
    feed, a score above the gauge's max or an answer the rule cannot read is refused, and the
    message names the gauge.
    """
    if not isinstance(answers, dict) or not answers:
        raise DomainError(_("Give an answer for each gauge of the inquiry."), code="empty_answer")
    gauges = inquiry_gauges(inquiry)
    asked = [gauge.code for _i, gauge in gauges]
    unknown = [str(code) for code in answers if code not in asked]
    if unknown:
        raise DomainError(
            _("This inquiry does not ask about gauge %(codes)s; it asks about %(asked)s.")
            % {"codes": _codes(unknown), "asked": _codes(asked)},
            code="unknown_gauge",
        )
    engine = engine_catalogue(inquiry.cycle.general_catalogue)
    targets = agreed_targets(inquiry.participation)
    cleaned: dict[str, dict[str, Any]] = {}
    scores: dict[str, str] = {}
    missing: list[str] = []
    for indicator, gauge in gauges:
        data = clean_answer(indicator, gauge, answers.get(gauge.code) or {})
        result = self_score(engine, indicator, gauge, data, targets.get((PART, gauge.code)))
        if result.status == MISSING:
            missing.append(gauge.code)
            continue
        if result.status == INVALID:
            raise BadAnswer(gauge, result.problem or _("the answer cannot be scored."))
        cleaned[gauge.code] = data
        scores[gauge.code] = str(written(result.score))
    if missing:
        raise DomainError(
            _("Answer every gauge of the inquiry; gauge %(codes)s has no answer.")
            % {"codes": _codes(missing)},
            code="missing_gauge",
        )
    return cleaned, scores


def _letter(actor: Any, how: str, letter: UploadedFile | None) -> Any:
    if how != How.LETTER:
        return None
    if letter is None:
        raise DomainError(
            _("Attach the body's letter with its answer (PDF or a scan)."), code="letter_required"
        )
    return store_upload(upload=letter, actor=actor, allowed=DOCUMENT_KINDS)


def _stored(inquiry: Inquiry) -> dict[str, Any]:
    by = inquiry.answered_by
    return {
        "answer": inquiry.answer,
        "scores": inquiry.scores,
        "version": inquiry.version,
        "how": inquiry.how,
        "by": by.display_name if by is not None else "",
        "at": inquiry.answered_at.isoformat() if inquiry.answered_at else None,
    }


def _result(inquiry: Inquiry, *, changed: bool) -> dict[str, Any]:
    return {
        "inquiry": inquiry.pk,
        "state": inquiry.state,
        "version": inquiry.version,
        "scores": inquiry.scores,
        "how": inquiry.how,
        "changed": changed,
        "answered_at": inquiry.answered_at.isoformat() if inquiry.answered_at else None,
    }


def _save(
    inquiry: Inquiry,
    actor: Any,
    how: str,
    answer: tuple[dict[str, Any], dict[str, str]],
    stored_letter: Any,
    reference: str,
) -> None:
    inquiry.answer, inquiry.scores = answer
    inquiry.state = State.ANSWERED
    inquiry.answered_at, inquiry.answered_by, inquiry.how = timezone.now(), actor, how
    inquiry.letter = stored_letter
    inquiry.reference = normalize_fa(reference or "").strip()[:100]
    inquiry.version += 1
    inquiry.save(
        update_fields=[
            "answer",
            "scores",
            "state",
            "answered_at",
            "answered_by",
            "how",
            "letter",
            "reference",
            "version",
        ]
    )


def _tell_staff(inquiry: Inquiry, actor: Any) -> None:
    """Staff of the province hear of an answer the body gave itself (never its scores)."""
    if inquiry.how == How.LETTER:
        return
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Inquiry answered: %(topic)s – %(agency)s") % {
            "topic": inquiry.topic.title,
            "agency": inquiry.participation.agency.name,
        }
    staff = recipients.province_users(inquiry.cycle.province_id, [Role.STAFF])
    notify(
        users=staff.exclude(pk=actor.pk),
        kind="inquiry_answered",
        title=title,
        url=f"/inquiries/{inquiry.pk}/",
    )


def inquiry_answer(
    *,
    actor: Any,
    inquiry: Inquiry,
    answers: Any,
    how: str = How.SYSTEM,
    letter: UploadedFile | None = None,
    reference: str = "",
    key: str | None = None,
    ip: str | None = None,
) -> dict[str, Any]:
    """The body's answer: by its own users (``system``, ``api``) or by staff from its letter."""

    def run() -> dict[str, Any]:
        locked = _locked(inquiry)
        _may_answer(actor, locked, how)
        refuse_if_locked(locked.cycle)
        if locked.state == State.ANSWERED:
            raise DomainError(
                _("This inquiry was already answered; correct the answer instead."),
                code="already_answered",
            )
        answer = checked_answer(locked, answers)
        stored_letter = _letter(actor, how, letter)
        _save(locked, actor, how, answer, stored_letter, reference)
        record(
            actor=actor,
            action="inquiry.answer",
            target=locked,
            changes={
                "state": [State.SENT, State.ANSWERED],
                "answer": [None, locked.answer],
                "scores": [None, locked.scores],
                "how": how,
                **({"letter": [None, stored_letter.name]} if stored_letter else {}),
            },
            ip=ip,
        )
        _tell_staff(locked, actor)
        return _result(locked, changed=True)

    return once_per_key(actor, key, f"inquiry:{inquiry.pk}:answer", run)


def inquiry_correct(
    *,
    actor: Any,
    inquiry: Inquiry,
    answers: Any,
    version: int,
    reason: str,
    how: str = How.SYSTEM,
    letter: UploadedFile | None = None,
    reference: str = "",
    key: str | None = None,
    ip: str | None = None,
) -> dict[str, Any]:
    """A corrected answer, with its reason, while the scores are not yet locked.

    ``version`` is the answer's version the corrector started from: if someone answered in
    between, ``Conflict`` carries both answers and nothing is saved.
    """

    def run() -> dict[str, Any]:
        locked = _locked(inquiry)
        _may_answer(actor, locked, how)
        refuse_if_locked(locked.cycle)
        if locked.state != State.ANSWERED:
            raise DomainError(_("This inquiry has no answer to correct yet."), code="not_answered")
        answer = checked_answer(locked, answers)
        if version != locked.version:
            raise Conflict(
                _(
                    "%(who)s changed this answer at %(at)s while you were correcting it. "
                    "Your correction was not saved; read theirs and correct again."
                )
                % {
                    "who": _stored(locked)["by"] or _("someone"),
                    "at": format_jalali_datetime(locked.answered_at),
                },
                theirs=_stored(locked),
                mine={"answer": answer[0], "version": version},
            )
        note = normalize_fa(reason or "").strip()[:MAX_REASON]
        if not note:
            raise DomainError(_("Write why the answer is corrected."), code="reason_required")
        if answer[0] == locked.answer and how != How.LETTER:
            return _result(locked, changed=False)
        before = _stored(locked)
        stored_letter = _letter(actor, how, letter)
        _save(locked, actor, how, answer, stored_letter, reference)
        record(
            actor=actor,
            action="inquiry.correct",
            target=locked,
            changes={
                "answer": [before["answer"], locked.answer],
                "scores": [before["scores"], locked.scores],
                "how": [before["how"], how],
                **({"letter": [None, stored_letter.name]} if stored_letter else {}),
            },
            reason=note,
            ip=ip,
        )
        _tell_staff(locked, actor)
        return _result(locked, changed=True)

    return once_per_key(actor, key, f"inquiry:{inquiry.pk}:correct", run)
