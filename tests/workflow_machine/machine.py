"""The state machine's core, and its rules for steps 6 to 9: each rule fires a real service (the
function the pages and the API call) as a user drawn from every role, and holds the outcome
to the model's verdict (``attempt``).

The right role is drawn two times in three, anyone otherwise; reasons, minutes and notes are
given three times in four: enough of each for the refusals, and enough allowed actions for the
cycle to move on.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule

from karnameh.accounts.models import User
from karnameh.assessments.models import Evidence
from karnameh.assessments.services import (
    answer_save,
    assessment_transition,
    evidence_add,
    evidence_remove,
    participation_extend,
)
from karnameh.common.errors import DomainError
from karnameh.cycles.models import Cycle, Participation
from karnameh.evaluations.models import Assignment
from karnameh.evaluations.reviews import initial_approve, initial_return, review_save
from karnameh.files.tests.corpus import pdf
from karnameh.inquiries.models import Inquiry
from karnameh.inquiries.services import inquiries_send, inquiry_answer, inquiry_correct
from karnameh.objections.models import ExpertGroup, Objection
from karnameh.objections.services import (
    objection_decide,
    objection_file,
    objection_record,
    objection_route,
    objection_withdraw,
)

from .base import ACTORS, BODY, GAUGES, MAX, SECRET, Base
from .model import (
    AGENCY_SIDE,
    EDGES,
    MOVES,
    OBJECTION_EDGES,
    STAFF,
    TALLY,
    Checks,
    Model,
    Objn,
    verdict,
)
from .rows import TABLES, snapshot

REFUSED = (DomainError, PermissionDenied, Http404)
TEXT = "مستندات پیوست بررسی شد."
MOSTLY = st.sampled_from([True, True, True, False])
RARELY = st.sampled_from([False, False, False, True])


def actors(*right: str) -> st.SearchStrategy[str]:
    """The right role two times in three, anyone at all otherwise."""
    anyone = st.sampled_from(ACTORS)
    return st.one_of(st.sampled_from(right), st.sampled_from(right), anyone)


def upload(name: str = "صورت‌جلسه.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf(), content_type="application/pdf")


class Machine(RuleBasedStateMachine):
    base: Base  # set by the test, once the base state is built

    def __init__(self) -> None:
        super().__init__()
        # Each example in a savepoint of the test's transaction, undone in teardown().
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        cache.clear()  # the portal caches pages by release: not across undone releases
        self.clock = time_machine.travel(self.base.start, tick=False)
        self.coordinates = self.clock.start()
        self.m = Model(base=self.base, now=self.base.start)
        names = {pk: name for name, pk in self.base.users.items()}
        self.users: dict[str, Any] = {
            names[u.pk]: u for u in User.objects.filter(pk__in=list(names))
        }
        self.users["anonymous"] = AnonymousUser()
        self.late = False  # the agency never submits (fast_forward)
        self.verified: Any = None
        self.seen: Any = None

    def teardown(self) -> None:
        phase = "published" if self.m.released else "approved" if self.m.deputy else self.m.state
        TALLY[("example", phase)] += 1
        self.clock.stop()
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def p(self) -> Participation:
        return Participation.objects.select_related("cycle", "agency").get(pk=self.base.ed)

    def cycle(self) -> Cycle:
        return Cycle.objects.get(pk=self.base.cycle)

    def attempt(
        self,
        label: str,
        checks: Checks,
        run: Callable[[], Any],
        touches: tuple[str, ...],
        apply: Callable[[Any], None],
    ) -> None:
        """Run one service call and hold it to the model's verdict: refused (a domain error,
        403 or 404) with every row as it was, or done, changing only rows of its own kinds,
        with an audit event, and moving states only along the tables' edges."""
        refusal = verdict(checks)
        kind = label.split(": ", 1)[1].split(" ")[0]
        before = snapshot()
        try:
            outcome = run()
        except REFUSED as error:
            why = getattr(error, "message", str(error))
            assert refusal is not None, f"{label} was refused, but the workflow allows it: {why}"
            after = snapshot()
            moved = [k for k in before if before[k] != after[k]]
            assert not moved, f"{label} was refused ({why}) but changed {moved}"
            TALLY[(kind, "refused")] += 1
            return
        after = snapshot()
        assert refusal is None, f"{label} succeeded, but the workflow forbids it: {refusal}"
        changed = {k for k in TABLES if before[k] != after[k]}
        assert changed <= set(touches), f"{label} changed {sorted(changed - set(touches))} too"
        if changed:
            assert after["audit"] > before["audit"], f"{label} changed {changed} unaudited"
        for table, edges in (("participation", EDGES), ("objections", OBJECTION_EDGES)):
            was = {row["id"]: row["state"] for row in before[table]}
            for row in after[table]:
                move = (was.get(row["id"], row["state"]), row["state"])
                assert move[0] == move[1] or move in edges, f"{label}: {table} moved {move}"
        TALLY[(kind, "done")] += 1
        apply(outcome)

    # --- the self-assessment (steps 6 and 7)

    @rule(
        actor=actors(*AGENCY_SIDE),
        code=st.sampled_from(GAUGES),
        quarter=st.integers(0, 4),
        stale=RARELY,
    )
    def answer(self, actor: str, code: str, quarter: int, stale: bool) -> None:
        m = self.m
        score = MAX[code] * quarter / 4  # self-scores are quarters: never an evaluation's
        held = m.answers.get(code)
        version = (held[1] if held else 0) + (1 if stale else 0)

        def apply(_reply: Any) -> None:
            if held is None or held[0] != score:
                m.answers[code] = (score, version + 1)
            if m.state == "not_started":
                m.state = "draft"

        self.attempt(
            f"{actor}: answer {code} = {score} (stale {stale})",
            m.answer(actor, code, stale),
            lambda: answer_save(
                actor=self.users[actor],
                participation=self.p(),
                part="general",
                gauge_code=code,
                data={"score": str(score)},
                version=version,
            ),
            ("answers", "participation"),
            apply,
        )

    @rule(actor=actors(*AGENCY_SIDE), code=st.sampled_from(GAUGES))
    def add_evidence(self, actor: str, code: str) -> None:
        self.attempt(
            f"{actor}: evidence for {code}",
            self.m.entry(actor),
            lambda: evidence_add(
                actor=self.users[actor],
                participation=self.p(),
                part="general",
                gauge_code=code,
                upload=upload("مستند.pdf"),
            ),
            ("evidence",),
            lambda evidence: self.m.evidence.append(evidence.pk),
        )

    @precondition(lambda self: bool(self.m.evidence))
    @rule(actor=actors(*AGENCY_SIDE))
    def remove_evidence(self, actor: str) -> None:
        pk = self.m.evidence[-1]
        self.attempt(
            f"{actor}: evidence-removal {pk}",
            self.m.entry(actor),
            lambda: evidence_remove(actor=self.users[actor], evidence=Evidence.objects.get(pk=pk)),
            ("evidence",),
            lambda _row: self.m.evidence.remove(pk),
        )

    @rule(
        data=st.data(),
        reason=MOSTLY,
        minutes=MOSTLY,
        seen=st.sampled_from(["none", "current", "current", "stale"]),
    )
    def transition(self, data: st.DataObject, reason: bool, minutes: bool, seen: str) -> None:
        """A move of the table: one that starts from the current state two times in three."""
        here = st.sampled_from([n for n, move in MOVES.items() if self.m.state in move.sources])
        name = data.draw(st.one_of(here, here, st.sampled_from(sorted(MOVES))))
        actor = data.draw(actors(*MOVES[name].who))
        self.take(name, actor, reason=reason, minutes=minutes, seen=seen)

    def take(self, name: str, actor: str, *, reason: bool, minutes: bool, seen: str) -> None:
        m, move = self.m, MOVES[name]
        version = {"none": None, "current": m.version, "stale": m.version + 1}[seen]

        def apply(_reply: Any) -> None:
            m.state, m.version = move.target, m.version + 1

        self.attempt(
            f"{actor}: {name} (reason {reason}, minutes {minutes}, version {seen})",
            m.move(name, actor, reason=reason, minutes=minutes, seen=seen),
            lambda: assessment_transition(
                actor=self.users[actor],
                participation=self.p(),
                name=name,
                version=version,
                reason=TEXT if reason else "",
                minutes=upload() if minutes else None,
            ),
            ("participation",),
            apply,
        )

    @rule(actor=actors(*STAFF), days=st.sampled_from([-2, 5, 20, 60]), reason=MOSTLY)
    def extend(self, actor: str, days: int, reason: bool) -> None:
        until = self.m.now + dt.timedelta(days=days)
        self.attempt(
            f"{actor}: extension by {days} days",
            self.m.extension(actor, days=days, reason=reason),
            lambda: participation_extend(
                actor=self.users[actor],
                participation=self.p(),
                until=until,
                reason=TEXT if reason else "",
            ),
            ("participation",),
            lambda _p: setattr(self.m, "extended", until),
        )

    # --- the evaluation (step 8) and inquiries

    def assignment(self) -> Assignment:
        return Assignment.objects.select_related("participation__cycle").get(
            pk=self.base.assignment
        )

    @rule(
        actor=actors("evaluator"),
        code=st.sampled_from(GAUGES),
        pick=st.integers(0, 3),
        notes=MOSTLY,
        stale=RARELY,
    )
    def review(self, actor: str, code: str, pick: int, notes: bool, stale: bool) -> None:
        m = self.m
        score = Decimal(SECRET[code][pick] if code in SECRET else "1.35")
        held = m.reviews.get(code)
        version = (held[2] if held else 0) + (1 if stale else 0)

        def apply(_reply: Any) -> None:
            m.reviewed.add(code)
            if held is None or held[:2] != (score, notes):
                m.reviews[code] = (score, notes, version + 1)

        self.attempt(
            f"{actor}: review {code} = {score} (notes {notes}, stale {stale})",
            m.review(actor, code, score, notes=notes, stale=stale),
            lambda: review_save(
                actor=self.users[actor],
                participation=self.p(),
                part="general",
                gauge_code=code,
                data={"score": str(score)},
                deficiencies="مستندات ناقص است." if notes else "",
                version=version,
            ),
            ("reviews",),
            apply,
        )

    @rule(actor=actors("evaluator"))
    def initial_approval(self, actor: str) -> None:
        self.attempt(
            f"{actor}: initial-approval",
            self.m.initial_approval(actor),
            lambda: initial_approve(actor=self.users[actor], assignment=self.assignment()),
            ("assignments",),
            lambda _a: setattr(self.m, "approved", True),
        )

    @rule(actor=actors(*STAFF), reason=MOSTLY)
    def return_part(self, actor: str, reason: bool) -> None:
        self.attempt(
            f"{actor}: part-return",
            self.m.part_return(actor, reason=reason),
            lambda: initial_return(
                actor=self.users[actor],
                assignment=self.assignment(),
                reason=TEXT if reason else "",
            ),
            ("assignments",),
            lambda _a: setattr(self.m, "approved", False),
        )

    @rule(actor=actors(*STAFF))
    def send_inquiries(self, actor: str) -> None:
        self.attempt(
            f"{actor}: inquiries-sent",
            self.m.sending(actor),
            lambda: inquiries_send(actor=self.users[actor], cycle=self.cycle()),
            ("inquiries",),
            lambda _made: setattr(self.m, "sent", True),
        )

    @precondition(lambda self: self.m.sent)
    @rule(
        actor=actors("assessor", "staff"),
        letter=st.booleans(),
        pick=st.integers(0, 3),
        correct=st.booleans(),
        reason=MOSTLY,
    )
    def answer_inquiry(
        self, actor: str, letter: bool, pick: int, correct: bool, reason: bool
    ) -> None:
        score = Decimal(SECRET[BODY][pick])
        how = "letter" if letter else "system"

        def run() -> Any:
            inquiry = Inquiry.objects.get(participation_id=self.base.ed, topic_id=self.base.welfare)
            given: dict[str, Any] = {
                "actor": self.users[actor],
                "inquiry": inquiry,
                "answers": {BODY: {"score": str(score)}},
                "how": how,
                "letter": upload("نامه.pdf") if letter else None,
            }
            if correct:
                return inquiry_correct(
                    version=inquiry.version, reason=TEXT if reason else "", **given
                )
            return inquiry_answer(**given)

        self.attempt(
            f"{actor}: inquiry-{'correction' if correct else 'answer'} ({how}) = {score}",
            self.m.inquiry_answer(actor, letter=letter, correct=correct, reason=reason),
            run,
            ("inquiries",),
            lambda _reply: setattr(self.m, "inquiry", score),
        )

    # --- objections (step 9)

    @rule(actor=actors(*AGENCY_SIDE, *STAFF), code=st.sampled_from(GAUGES), reasoning=MOSTLY)
    def object(self, actor: str, code: str, reasoning: bool) -> None:
        # Staff record an objection the agency brought in person; the agency files its own.
        service = objection_record if actor in STAFF else objection_file
        self.attempt(
            f"{actor}: objection to {code}",
            self.m.objection(actor, code, reasoning=reasoning),
            lambda: service(
                actor=self.users[actor],
                participation=self.p(),
                part="general",
                gauge_code=code,
                reasoning=TEXT if reasoning else "",
            ),
            ("objections",),
            lambda made: self.m.objections.append(Objn(made.pk, code, "filed")),
        )

    def objection_at(self, which: int) -> tuple[Objn, Objection]:
        known = self.m.objections[which % len(self.m.objections)]
        return known, Objection.objects.get(pk=known.pk)

    @precondition(lambda self: bool(self.m.objections))
    @rule(actor=actors(*AGENCY_SIDE), which=st.integers(0, 3))
    def withdraw_objection(self, actor: str, which: int) -> None:
        known, row = self.objection_at(which)
        self.attempt(
            f"{actor}: objection-withdrawal {known.pk}",
            self.m.withdrawal(actor, known),
            lambda: objection_withdraw(actor=self.users[actor], objection=row, reason=TEXT),
            ("objections",),
            lambda _o: setattr(known, "state", "withdrawn"),
        )

    @precondition(lambda self: bool(self.m.objections))
    @rule(actor=actors(*STAFF), which=st.integers(0, 3), group=st.sampled_from("AB"))
    def route(self, actor: str, which: int, group: str) -> None:
        known, row = self.objection_at(which)

        def apply(_o: Any) -> None:
            known.state, known.group = "routed", group

        self.attempt(
            f"{actor}: routing {known.pk} to group {group}",
            self.m.routing(actor, known, group),
            lambda: objection_route(
                actor=self.users[actor],
                objection=row,
                group=ExpertGroup.objects.get(pk=self.base.groups[group]),
            ),
            ("objections",),
            apply,
        )

    @precondition(lambda self: bool(self.m.objections))
    @rule(
        actor=actors("ev-free", "evaluator"),
        which=st.integers(0, 3),
        accept=st.booleans(),
        pick=st.integers(0, 3),
        reasons=MOSTLY,
    )
    def decide(self, actor: str, which: int, accept: bool, pick: int, reasons: bool) -> None:
        known, row = self.objection_at(which)
        self.attempt(
            f"{actor}: {'acceptance' if accept else 'rejection'} of {known.pk}",
            self.m.decision(actor, known, reasons=reasons),
            lambda: objection_decide(
                actor=self.users[actor],
                objection=row,
                accepted=accept,
                reasons=TEXT if reasons else "",
                data={"score": SECRET[known.gauge][pick]} if accept else None,
            ),
            ("objections",),
            lambda _o: setattr(known, "state", "accepted" if accept else "rejected"),
        )
