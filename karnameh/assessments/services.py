"""Every change to a self-assessment: answers, evidence, transitions, extensions.

Each service locks the participation row first, so that a save, an upload and a submission
of the same agency never interleave (and a save that arrives after the submission or the
deadline is refused, not half applied). Pages and the API call these and nothing else.
"""

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import require
from karnameh.agreements.selectors import mou_target
from karnameh.audit.services import record
from karnameh.common.errors import DomainError
from karnameh.common.jalali import format_jalali_datetime
from karnameh.common.text import normalize_fa, persian_digits
from karnameh.cycles.deadlines import deadline
from karnameh.cycles.models import AssessmentState, CycleStatus, Participation
from karnameh.cycles.steps import SELF_ASSESSMENT
from karnameh.notifications.services import notify_extension, notify_transition
from karnameh.results.locks import deputy_approval, refuse_if_locked
from karnameh.scoring import GaugeResult
from karnameh.scoring.numbers import fa

from .answers import MAX_TEXT, clean_answer
from .models import Answer, Evidence, RequestKey
from .scoring import LATER, find_gauge, self_score
from .workflow import EDITABLE, Transition, check

MAX_EVIDENCE_PER_GAUGE = 20


class Conflict(DomainError):
    """Someone else saved first. ``theirs`` is what is stored now, to show beside ``mine``."""

    status_code = 409

    def __init__(self, message: str, *, theirs: dict[str, Any], mine: dict[str, Any]) -> None:
        super().__init__(message, code="conflict")
        self.theirs = theirs
        self.mine = mine

    @classmethod
    def saved_first(
        cls, theirs: dict[str, Any], at: dt.datetime | None, mine: dict[str, Any]
    ) -> "Conflict":
        """The one message of a stale save, the agency's answer or an evaluator's review."""
        return cls(
            _(
                "%(who)s saved this gauge at %(at)s while you were editing it. Your "
                "entry was not saved; compare the two and save again."
            )
            % {"who": theirs["by"] or _("someone"), "at": format_jalali_datetime(at)},
            theirs=theirs,
            mine=mine,
        )

    def body(self) -> dict[str, Any]:
        """The API's 409 answer (``ConflictOut``)."""
        return {"detail": self.message, "code": self.code, "theirs": self.theirs, "mine": self.mine}


def lock_participation(participation: Participation) -> Participation:
    """The participation's row locked and read again, with whether the deputy's approval now
    locks the scores (``results.locks.scores_locked`` then reads no more).

    Its cycle, agency and catalogues are the rows the page already read (``visible_participation``)
    when they are the same rows: the lock guards the participation's own columns, and what may
    change beside them is read after it (the deputy's approval here, the steps by
    ``cycles.deadlines``, held by ``cycles.services._hold_participations`` when they move).
    Each join more would cost every save of the deadline crunch more to compile than to read.
    """
    locked = _locking().get(pk=participation.pk)
    for name in ("cycle", "agency", "specific_catalogue"):
        _keep(participation, locked, name)
    locked.cycle._scores_locked = locked.deputy_approved  # type: ignore[attr-defined]
    return locked


@cache
def _locking() -> QuerySet[Participation]:
    """Built once per process: building the annotation's subquery cost each save as much as
    running the query. Always narrowed by ``.get()``, a copy, so this one holds no rows."""
    return Participation.objects.select_for_update().annotate(
        deputy_approved=Exists(deputy_approval(OuterRef("cycle_id")))
    )


def _keep(source: Any, target: Any, name: str) -> None:
    """``target.<name>`` is ``source.<name>`` if that was read and is the same row."""
    field = type(source)._meta.get_field(name)
    if field.is_cached(source) and getattr(source, field.attname) == getattr(target, field.attname):
        field.set_cached_value(target, field.get_cached_value(source))


def entry_lock(participation: Participation, now: dt.datetime | None = None) -> str | None:
    """Why answers and evidence cannot change now (shown on the locked form), or None."""
    if participation.cycle.status != CycleStatus.PUBLISHED:
        return _("The cycle is not open for self-assessment.")
    try:
        # The deputy's final approval fixed the self-assessment total with the scores (and the
        # convergence gauge is measured against it): an extension does not reopen entry.
        refuse_if_locked(participation.cycle)
    except DomainError as error:
        return error.message
    if participation.state not in EDITABLE:
        return _(
            "The self-assessment was submitted (%(state)s); it can be changed only after it is "
            "withdrawn or returned."
        ) % {"state": participation.get_state_display()}
    closes = deadline(participation, SELF_ASSESSMENT)
    if closes.passed(now):
        if closes.extended:
            return _("Entry closed when this agency's extension ended on %(date)s.") % {
                "date": closes.label()
            }
        return _(
            "Entry closed at the end of %(date)s. The organization may grant an extension."
        ) % {"date": closes.label()}
    return None


def _check_open(participation: Participation) -> None:
    reason = entry_lock(participation)
    if reason:
        raise DomainError(reason, code="locked")


def once_per_key(
    actor: Any, key: str | None, action: str, run: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """Apply ``run`` once per idempotency key: a retried request gets the first answer back.
    Every versioned save with an ``Idempotency-Key`` (answers, reviews, inquiries) uses it.

    ``run`` opens no transaction of its own: it runs in the one opened here, with the key's
    record when there is a key. A block inside it would be a savepoint, two round trips more on
    every save for nothing (a refusal undoes the work and the key together either way).
    """
    if not key:
        with transaction.atomic():
            return run()
    key = key[:100]
    try:
        with transaction.atomic():
            # The key is written once, with the answer, after the work: a new key (nearly every
            # request) costs one insert and no read. A copy of this request that runs meanwhile
            # waits on the rows this one locked, then is refused (the version moved on) or, if
            # it got that far, on the key's unique index; either way it is undone and replays
            # this answer below, as a retry that comes later does.
            response = run()
            RequestKey.objects.create(user=actor, key=key, action=action, response=response)
            return response
    except (IntegrityError, DomainError):
        # Refused, or the key already taken: if the key was used, this is a retry (or the same
        # request twice at once) of work already applied, and its first answer is given again.
        stored = RequestKey.objects.filter(user=actor, key=key).first()
        if stored is None:
            raise
    if stored.action != action:
        raise DomainError(_("This request key was already used for another action."))
    return {**stored.response, "replayed": True}


def _gauge(participation: Participation, part: str, code: str) -> tuple[Any, Any, Any]:
    found = find_gauge(participation, part, code)
    if found is None:
        raise DomainError(
            _("Gauge %(code)s is not in this agency's indicators.")
            % {"code": persian_digits(code)},
            code="not_found",
        )
    return found[0].engine, found[1], found[2]


def _scored(
    participation: Participation, part: str, code: str, data: Any
) -> tuple[dict[str, Any], GaugeResult]:
    """The answer as it would be stored, and its self-score with the MoU target in force."""
    engine, indicator, gauge = _gauge(participation, part, code)
    if gauge.rule.kind in LATER:
        raise DomainError(_("This gauge is scored by the organization at the end."))
    cleaned = clean_answer(indicator, gauge, data)
    target = mou_target(participation, part, indicator, gauge)
    return cleaned, self_score(engine, indicator, gauge, cleaned, target)


def answer_preview(
    *, actor: Any, participation: Participation, part: str, gauge_code: str, data: Any
) -> GaugeResult:
    """What an answer would score, exactly as ``answer_save`` would score it; nothing saved."""
    require(actor, "assessment.view", participation)
    return _scored(participation, part, gauge_code, data)[1]


def _stored(answer: Answer | None) -> dict[str, Any]:
    if answer is None:
        return {"data": {}, "comment": "", "version": 0, "by": "", "at": None}
    return {
        "data": answer.data,
        "comment": answer.comment,
        "version": answer.version,
        "by": answer.updated_by.display_name if answer.updated_by else "",
        "at": answer.updated_at.isoformat() if answer.updated_at else None,
    }


def answer_save(
    *,
    actor: Any,
    participation: Participation,
    part: str,
    gauge_code: str,
    data: Any,
    comment: str = "",
    version: int,
    key: str | None = None,
    ip: str | None = None,
) -> dict[str, Any]:
    """Save one gauge's answer if ``version`` is still the stored one; score it; audit it.

    ``version`` is the answer's version the editor started from (0 for a new answer). If
    someone saved in between, ``Conflict`` carries both answers and nothing is saved.
    """

    def run() -> dict[str, Any]:
        locked = lock_participation(participation)
        require(actor, "assessment.edit", locked)
        _check_open(locked)
        cleaned, result = _scored(locked, part, gauge_code, data)
        note = normalize_fa(str(comment or "")).strip()[:MAX_TEXT]
        # Without its editor: only a conflict shows who saved (one read more, then).
        answer = (
            Answer.objects.select_for_update()
            .filter(participation=locked, part=part, gauge_code=gauge_code)
            .first()
        )
        current = answer.version if answer else 0
        if version != current:
            raise Conflict.saved_first(
                _stored(answer),
                answer.updated_at if answer else None,
                {"data": cleaned, "comment": note, "version": version},
            )
        if answer is not None and answer.data == cleaned and answer.comment == note:
            return saved_reply(answer, name="answer", changed=False)
        # What the audit records as before: not ``_stored``, which would read the editor.
        was_data, was_comment = (answer.data, answer.comment) if answer else ({}, "")
        answer = answer or Answer(part=part, gauge_code=gauge_code)
        # The row just locked, with its agency and cycle: the audit names the answer by
        # them (``str(answer)``) without reading them again.
        answer.participation = locked
        answer.data, answer.comment = cleaned, note
        answer.score, answer.status = result.score, result.status
        answer.version = current + 1
        answer.updated_at, answer.updated_by = timezone.now(), actor
        answer.save()
        if locked.state == AssessmentState.NOT_STARTED:
            locked.state = AssessmentState.DRAFT
            locked.save(update_fields=["state"])
        record(
            actor=actor,
            action="answer.save",
            target=answer,
            changes={
                "data": [was_data, cleaned],
                "comment": [was_comment, note],
                "score": [None, str(result.score)],
            },
            ip=ip,
        )
        return saved_reply(answer, name="answer", changed=True)

    return once_per_key(actor, key, f"answer:{participation.pk}:{part}:{gauge_code}", run)


def saved_reply(row: Any, *, name: str, changed: bool) -> dict[str, Any]:
    """What a versioned save answers (and a retried key replays): the row under ``name``
    ("answer", "review"), its new version, score and status."""
    return {
        name: row.pk,
        "version": row.version,
        "score": str(row.score) if row.score is not None else None,
        "status": row.status,
        "changed": changed,
        "saved_at": row.updated_at.isoformat() if row.updated_at else None,
    }


def evidence_add(
    *,
    actor: Any,
    participation: Participation,
    part: str,
    gauge_code: str,
    upload: UploadedFile,
    ip: str | None = None,
) -> Evidence:
    """Attach a file to one gauge. Its type is checked by content (``files.services``)."""
    from karnameh.files.services import EVIDENCE_KINDS, store_upload

    with transaction.atomic():
        locked = lock_participation(participation)
        require(actor, "assessment.edit", locked)
        _check_open(locked)
        _gauge(locked, part, gauge_code)
        count = Evidence.objects.filter(
            participation=locked, part=part, gauge_code=gauge_code, removed_at__isnull=True
        ).count()
        if count >= MAX_EVIDENCE_PER_GAUGE:
            raise DomainError(
                _("A gauge can have at most %(count)s files; remove one first.")
                % {"count": fa(MAX_EVIDENCE_PER_GAUGE)}
            )
        stored = store_upload(upload=upload, actor=actor, allowed=EVIDENCE_KINDS)
        evidence = Evidence.objects.create(
            participation=locked,
            part=part,
            gauge_code=gauge_code,
            file=stored,
            added_at=timezone.now(),
            added_by=actor,
        )
        record(
            actor=actor,
            action="evidence.add",
            target=evidence,
            changes={
                "gauge": [None, gauge_code],
                "file": [None, stored.name],
                "sha256": [None, stored.sha256],
                "size": [None, stored.size],
            },
            ip=ip,
        )
    return evidence


def evidence_remove(*, actor: Any, evidence: Evidence, ip: str | None = None) -> Evidence:
    """Take a file off a gauge. It stays in the record (and the audit), marked removed."""
    with transaction.atomic():
        locked = lock_participation(evidence.participation)
        require(actor, "assessment.edit", locked)
        _check_open(locked)
        row = (
            Evidence.objects.select_for_update(of=("self",))
            .select_related("file")
            .get(pk=evidence.pk)
        )
        if row.removed_at is not None:
            raise DomainError(_("This file was already removed."))
        row.removed_at, row.removed_by = timezone.now(), actor
        row.save(update_fields=["removed_at", "removed_by"])
        record(
            actor=actor,
            action="evidence.remove",
            target=row,
            changes={"gauge": [row.gauge_code, None], "file": [row.file.name, None]},
            ip=ip,
        )
    return row


def _apply(row: Transition, p: Participation, actor: Any, reason: str, minutes: Any) -> None:
    now = timezone.now()
    name = row.name
    if name == "submit":
        p.submitted_at, p.submitted_by = now, actor
        p.receipt = f"{p.cycle.year}-{p.pk:06d}-{p.version + 1:03d}"
        p.return_note = ""
    elif name == "office_approve":
        p.office_approved_at, p.office_approved_by, p.office_minutes = now, actor, minutes
    elif name == "hq_approve":
        p.hq_approved_at, p.hq_approved_by = now, actor
    elif name == "transfer":
        p.transferred_at, p.transferred_by = now, actor
    # Going back clears the approvals given after the state it returns to.
    order = list(AssessmentState.values)
    target = order.index(row.target)
    if target < order.index(AssessmentState.TRANSFERRED):
        p.transferred_at = p.transferred_by = None
    if target < order.index(AssessmentState.HQ_APPROVED):
        p.hq_approved_at = p.hq_approved_by = None
    if target < order.index(AssessmentState.OFFICE_APPROVED):
        p.office_approved_at = p.office_approved_by = p.office_minutes = None
    if row.returns:
        p.return_note = reason
    p.state = row.target
    p.version += 1


def assessment_transition(
    *,
    actor: Any,
    participation: Participation,
    name: str,
    version: int | None = None,
    reason: str = "",
    minutes: UploadedFile | None = None,
    key: str | None = None,
    ip: str | None = None,
) -> dict[str, Any]:
    """Move a self-assessment along the workflow (``assessments.workflow``): one step, audited.

    ``version`` is the participation's version the page showed; if it changed meanwhile the
    action is refused, so nobody approves something they have not seen.
    """

    def run() -> dict[str, Any]:
        locked = lock_participation(participation)
        require(actor, f"assessment.{name}", locked)
        row = check(actor, name, locked)
        if version is not None and version != locked.version:
            raise DomainError(
                _("The self-assessment changed since you opened it; reload and check again."),
                code="stale",
            )
        if locked.cycle.status != CycleStatus.PUBLISHED:
            raise DomainError(_("The cycle is not open for self-assessment."), code="locked")
        # No move after the deputy's final approval: a transfer would bring in an agency the
        # approval did not check, a return would reopen answers behind fixed totals.
        refuse_if_locked(locked.cycle)
        if row.step is not None:
            closes = deadline(locked, row.step)
            if closes.passed():
                raise DomainError(
                    _(
                        "The deadline for this step ended on %(date)s. The organization "
                        "may grant an extension."
                    )
                    % {"date": closes.label()},
                    code="locked",
                )
        note = normalize_fa(reason or "").strip()[:MAX_TEXT]
        if row.needs_reason and not note:
            raise DomainError(_("Write the reason (it is shown to the agency)."))
        stored_minutes = None
        if row.needs_minutes:
            if minutes is None:
                raise DomainError(_("Attach the minutes of the steering council's meeting."))
            from karnameh.files.services import DOCUMENT_KINDS, store_upload

            stored_minutes = store_upload(upload=minutes, actor=actor, allowed=DOCUMENT_KINDS)
        before = locked.state
        _apply(row, locked, actor, note, stored_minutes)
        locked.save()
        record(
            actor=actor,
            action=f"assessment.{name}",
            target=locked,
            changes={
                "state": [before, locked.state],
                **({"receipt": [None, locked.receipt]} if name == "submit" else {}),
                **({"minutes": [None, stored_minutes.name]} if stored_minutes else {}),
            },
            reason=note,
            ip=ip,
        )
        notify_transition(participation=locked, name=name, actor=actor, reason=note)
        return {
            "state": locked.state,
            "version": locked.version,
            "receipt": locked.receipt,
            "at": timezone.now().isoformat(),
        }

    return once_per_key(actor, key, f"{name}:{participation.pk}", run)


def participation_extend(
    *,
    actor: Any,
    participation: Participation,
    until: dt.datetime,
    reason: str,
    ip: str | None = None,
) -> Participation:
    """Give one agency more time for entry and approvals: a new deadline and a reason."""
    with transaction.atomic():
        locked = lock_participation(participation)
        require(actor, "assessment.extend", locked)
        note = normalize_fa(reason or "").strip()[:MAX_TEXT]
        if not note:
            raise DomainError(_("Write the reason for the extension."))
        if until <= timezone.now():
            raise DomainError(_("The new deadline must be in the future."))
        before = locked.extended_until
        locked.extended_until, locked.extension_reason = until, note
        locked.save(update_fields=["extended_until", "extension_reason"])
        record(
            actor=actor,
            action="assessment.extend",
            target=locked,
            changes={"extended_until": [before, until]},
            reason=note,
            ip=ip,
        )
        notify_extension(participation=locked, actor=actor)
    return locked
