"""What should happen: who may take which step, from which state, until when.

Written from the workflow's documentation (docs/self-assessment.md, evaluations.md,
objections.md, results.md) and the seeds, not by calling the code's own checks, which it is
there to catch. Each ``Model`` method lists the conditions under which the workflow refuses an
action; ``verdict`` gives the first that holds (None: the action is allowed). The model also
keeps the facts an allowed action changes, which ``rows.observe`` reads back from the database.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .base import BODY, LATER, REVIEWED, Base

Checks = list[tuple[bool, str]]

# Who may act, by the actors' names (base.ACTORS).
AGENCY_SIDE = ("agency", "office")
STAFF = ("staff", "admin")  # the province's staff; the administrator manages every cycle
DEPUTY = ("deputy", "both")
COUNCIL = ("council", "both")
PUBLISHERS = ("staff", "deputy", "both")
MEMBERS = {"A": ("ev-free",), "B": ("evaluator",)}  # the two expert groups

EDITABLE = ("not_started", "draft")
OPEN = ("filed", "routed")
LOCKED = "the deputy's final approval locks every score"

# Actions refused for exactly one reason probe exactly that rule; the test reports them.
TALLY: Counter[tuple[str, str]] = Counter()


def verdict(checks: Checks) -> str | None:
    """The first reason the workflow refuses the action, or None if it allows it."""
    failed = [why for bad, why in checks if bad]
    if len(failed) == 1:
        TALLY[("probe", failed[0])] += 1
    return failed[0] if failed else None


@dataclass(frozen=True)
class Move:
    """One row of the self-assessment's table (docs/self-assessment.md, seed 003 steps 6–7)."""

    sources: tuple[str, ...]
    target: str
    who: tuple[str, ...]
    step: int | None  # whose deadline closes it; None: never
    reason: bool = False
    minutes: bool = False


MOVES: dict[str, Move] = {
    "submit": Move(EDITABLE, "submitted", AGENCY_SIDE, 6),
    "withdraw": Move(("submitted",), "draft", AGENCY_SIDE, 6, reason=True),
    "office_approve": Move(("submitted",), "office_approved", ("office",), 7, minutes=True),
    "office_return": Move(("submitted",), "draft", ("office",), 7, reason=True),
    "office_revoke": Move(("office_approved",), "submitted", ("office",), 7, reason=True),
    "hq_approve": Move(("office_approved",), "hq_approved", ("hq",), 7),
    "hq_return": Move(("office_approved",), "draft", ("hq",), 7, reason=True),
    "hq_revoke": Move(("hq_approved",), "office_approved", ("hq",), 7, reason=True),
    # AR-ED has an HQ above it: the HQ transfers.
    "transfer": Move(("hq_approved",), "transferred", ("hq",), 7),
    "return_transfer": Move(("transferred",), "draft", STAFF, None, reason=True),
}
# Every (from, to) the tables allow, for the invariant "no state outside the tables"; the first
# saved answer starts the draft (assessments.services.answer_save).
EDGES = {(source, m.target) for m in MOVES.values() for source in m.sources}
EDGES.add(("not_started", "draft"))
OBJECTION_EDGES = {
    ("filed", "routed"),
    ("routed", "routed"),  # routed again, to another group, until the decision
    ("routed", "accepted"),
    ("routed", "rejected"),
    ("filed", "withdrawn"),
    ("routed", "withdrawn"),
}


@dataclass
class Objn:
    """One of AR-ED's objections as the model knows it."""

    pk: int
    gauge: str
    state: str
    group: str | None = None


@dataclass
class Model:
    base: Base
    now: dt.datetime
    state: str = "not_started"
    version: int = 0
    extended: dt.datetime | None = None
    answers: dict[str, tuple[Decimal, int]] = field(default_factory=dict)  # score, version
    evidence: list[int] = field(default_factory=list)
    approved: bool = False  # the evaluator's initial approval
    reviews: dict[str, tuple[Decimal, bool, int]] = field(default_factory=dict)  # notes?
    reviewed: set[str] = field(default_factory=set)  # gauges the evaluator ever scored
    sent: bool = False
    inquiry: Decimal | None = None  # AR-ED's welfare answer
    objections: list[Objn] = field(default_factory=list)
    deputy: str | None = None
    council: str | None = None
    released: bool = False
    results: bool = False  # totals fixed by a final approval

    # --- time

    def deadline(self, step: int) -> dt.datetime:
        """When ``step`` closes for AR-ED: its last day's end, or the extension if later."""
        closes = self.base.closes(step)
        return max(closes, self.extended) if self.extended else closes

    def open_until(self, step: int | None) -> bool:
        return step is None or self.now < self.deadline(step)

    def window_open(self) -> bool:
        """Objections are filed in step 9, the same days for every agency."""
        return self.base.opens(9) <= self.now < self.base.closes(9)

    # --- what counts

    def locked(self) -> bool:
        """The deputy's final approval is in force: no score changes, self-scores included."""
        return self.deputy is not None

    def own(self, code: str) -> Decimal:
        return self.answers[code][0] if code in self.answers else Decimal(0)

    def scored(self, code: str) -> bool:
        """The gauge has a score that counts (evaluations.final's order)."""
        if any(o.gauge == code and o.state == "accepted" for o in self.objections):
            return True
        if code == BODY:
            return self.inquiry is not None
        return code in REVIEWED and self.approved and code in self.reviews

    def open_objections(self) -> list[Objn]:
        return [o for o in self.objections if o.state in OPEN]

    def unnoted(self) -> list[str]:
        """Gauges whose counted review is below the agency's self-score without notes of
        deficiencies (seed 002 wants them whenever the score is below the agency's)."""
        accepted = {o.gauge for o in self.objections if o.state == "accepted"}
        return [
            code
            for code, (score, notes, _v) in self.reviews.items()
            if code not in accepted and score < self.own(code) and not notes
        ]

    def ready(self) -> bool:
        """Readiness for the deputy (results.readiness): the window closed, and AR-ED, if
        transferred, fully scored with nothing open and every counted score below its
        self-score explained. AR-EF never transfers."""
        if self.now < self.base.closes(9):
            return False
        if self.state != "transferred":
            return True
        every = all(self.scored(code) for code in (*REVIEWED, BODY))
        return self.approved and every and not self.open_objections() and not self.unnoted()

    def expert(self) -> set[str]:
        """Members of a group one of AR-ED's objections went to: they read its scores."""
        return {m for o in self.objections if o.group for m in MEMBERS[o.group]}

    # --- the self-assessment (steps 6 and 7)

    def entry(self, actor: str) -> Checks:
        """Answers and evidence."""
        return [
            (actor not in AGENCY_SIDE, "only the agency's users and performance office edit"),
            (self.locked(), LOCKED),
            (self.state not in EDITABLE, f"the self-assessment is {self.state}"),
            (not self.open_until(6), "the entry deadline (step 6, or the extension) has passed"),
        ]

    def answer(self, actor: str, code: str, stale: bool) -> Checks:
        return [
            *self.entry(actor),
            (code == LATER, "the convergence gauge is scored at the end, not answered"),
            (stale, "someone saved this gauge in between"),
        ]

    def move(self, name: str, actor: str, *, reason: bool, minutes: bool, seen: str) -> Checks:
        move = MOVES[name]
        return [
            (self.state not in move.sources, f"no {name} from {self.state}"),
            (actor not in move.who, f"{name} is for {move.who}, not {actor}"),
            (self.locked(), LOCKED),
            (seen == "stale", "the page showed an older version"),
            (not self.open_until(move.step), f"step {move.step}'s deadline has passed"),
            (move.reason and not reason, "a reason is required"),
            (move.minutes and not minutes, "the council's minutes are required"),
        ]

    def extension(self, actor: str, *, days: int, reason: bool) -> Checks:
        return [
            (actor not in STAFF, "only the province's staff extend"),
            (not reason, "a reason is required"),
            (days <= 0, "the new deadline must be in the future"),
        ]

    # --- the evaluation (step 8) and inquiries

    def review(self, actor: str, code: str, score: Decimal, *, notes: bool, stale: bool) -> Checks:
        return [
            (actor != "evaluator", "only the assigned evaluator scores"),
            (code not in REVIEWED, f"the evaluator does not score {code}"),
            (self.approved, "the evaluator's initial approval closed their part"),
            (self.state != "transferred", "the self-assessment is not with the organization"),
            (not self.open_until(8), "the evaluation (step 8) has closed"),
            (self.locked(), LOCKED),
            (stale, "someone saved this gauge in between"),
            (score < self.own(code) and not notes, "below the self-score without deficiencies"),
        ]

    def initial_approval(self, actor: str) -> Checks:
        unnoted = [c for c, (s, notes, _v) in self.reviews.items() if s < self.own(c) and not notes]
        return [
            (actor != "evaluator", "only the assigned evaluator approves their part"),
            (self.approved, "already approved"),
            (self.state != "transferred", "the self-assessment is not with the organization"),
            (self.locked(), LOCKED),
            (any(c not in self.reviews for c in REVIEWED), "a gauge has no score yet"),
            (bool(unnoted), f"{unnoted} are below the self-score without deficiencies"),
        ]

    def part_return(self, actor: str, *, reason: bool) -> Checks:
        return [
            (actor not in STAFF, "only staff return an evaluator's part"),
            (not self.approved, "there is no initial approval to return"),
            (self.locked(), LOCKED),
            (not reason, "a reason is required"),
        ]

    def sending(self, actor: str) -> Checks:
        return [(actor not in STAFF, "only staff send inquiries"), (self.locked(), LOCKED)]

    def inquiry_answer(self, actor: str, *, letter: bool, correct: bool, reason: bool) -> Checks:
        """The body answers in the system; staff enter its letter; either corrects, with a
        reason. No deadline: answers count until the deputy's approval."""
        who = STAFF if letter else ("assessor",)
        return [
            (actor not in who, f"{'a letter' if letter else 'an answer'} is for {who}"),
            (self.locked(), LOCKED),
            (correct and self.inquiry is None, "there is no answer to correct"),
            (not correct and self.inquiry is not None, "already answered: correct it instead"),
            (correct and not reason, "a correction needs a reason"),
        ]

    # --- objections (step 9)

    def objection(self, actor: str, code: str, *, reasoning: bool) -> Checks:
        """The agency files; staff record one the agency brought in person."""
        return [
            (actor not in (*AGENCY_SIDE, *STAFF), "only the agency files, or staff record"),
            (self.locked(), LOCKED),
            (not self.window_open(), "the objection window (step 9) is not open"),
            (not self.scored(code), f"{code} has no score to object to"),
            (any(o.gauge == code for o in self.open_objections()), "one is already open"),
            (not reasoning, "the reasoning is required"),
        ]

    def withdrawal(self, actor: str, objection: Objn) -> Checks:
        return [
            (actor not in AGENCY_SIDE, "only the agency withdraws its objection"),
            (self.locked(), LOCKED),
            (objection.state not in OPEN, f"the objection is {objection.state}"),
        ]

    def routing(self, actor: str, objection: Objn, group: str) -> Checks:
        """Never to a group with a member who scored the gauge (group B is the evaluator)."""
        return [
            (actor not in STAFF, "only staff route objections"),
            (self.locked(), LOCKED),
            (objection.state not in OPEN, f"the objection is {objection.state}"),
            (group == "B" and objection.gauge in self.reviewed, "B's member scored that gauge"),
        ]

    def decision(self, actor: str, objection: Objn, *, reasons: bool) -> Checks:
        group = objection.group
        return [
            (group is None, "the objection has not reached a group"),
            (actor not in MEMBERS.get(group or "", ()), "only the group's members decide"),
            (actor == "evaluator" and objection.gauge in self.reviewed, "they scored the gauge"),
            (self.locked(), LOCKED),
            (objection.state != "routed", f"the objection is {objection.state}"),
            (not reasons, "the reasons are required"),
        ]

    # --- approvals and the release (steps 10 and 11)

    def final_approval(self, actor: str) -> Checks:
        return [
            (actor not in DEPUTY, "only the province's deputy gives the final approval"),
            (self.released, "the results are published"),
            (self.deputy is not None, "the final approval is already given"),
            (not self.ready(), "the cycle is not ready (window open, AR-ED not fully scored)"),
        ]

    def council_approval(self, actor: str, *, minutes: bool) -> Checks:
        return [
            (actor not in COUNCIL, "only a council member of the province records it"),
            (self.released, "the results are published"),
            (self.deputy is None, "the deputy's final approval comes first"),
            (self.council is not None, "the council's approval is already recorded"),
            (self.deputy == actor, "the deputy who approved may not also record the council's"),
            (not minutes, "the minutes are required"),
        ]

    def reopening(self, actor: str, *, reason: bool) -> Checks:
        return [
            (actor not in DEPUTY, "only the deputy reopens"),
            (self.released, "the results are published"),
            (not reason, "a reason is required"),
            (self.deputy is None and self.council is None, "nothing is approved"),
        ]

    def publication(self, actor: str) -> Checks:
        return [
            (actor not in PUBLISHERS, "only the province's staff or deputy publish"),
            (self.released, "already published"),
            (self.deputy is None or self.council is None, "both approvals must be in force"),
        ]

    # --- what the database should say

    def expected(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "version": self.version,
            "extended": self.extended,
            "answers": {code: score for code, (score, _v) in self.answers.items()},
            "evidence": sorted(self.evidence),
            "approved": self.approved,
            "reviews": {c: (s, notes) for c, (s, notes, _v) in self.reviews.items()},
            "sent": self.sent,
            "inquiry": self.inquiry,
            "objections": [(o.pk, o.gauge, o.state, o.group) for o in self.objections],
            "deputy": self.deputy,
            "council": self.council,
            "released": self.released,
            "results": self.results,
        }
