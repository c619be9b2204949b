"""The whole cycle: the approvals and the release (steps 10–11), the clock, the embargo seen from
outside, the way forward, and the invariants checked after every step.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import Client
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from karnameh.accounts.permissions import may
from karnameh.common.templatetags.fa import fa
from karnameh.cycles.models import Participation
from karnameh.objections.models import Objection
from karnameh.portal.selectors import released_cycles
from karnameh.results.models import Result
from karnameh.results.selectors import public_cycle
from karnameh.results.services import council_approve, final_approve, publish, reopen
from tests.test_embargo import leaks, urls

from .base import BODY, REVIEWED
from .machine import MOSTLY, RARELY, TEXT, Machine, actors, upload
from .model import COUNCIL, DEPUTY, MEMBERS, PUBLISHERS, TALLY
from .rows import approvals_hold, observe, snapshot

# The organization's side, the agency itself and its assigned evaluator see its scores before
# the release; these never do (an expert group's member only once an objection reaches it).
ENTITLED = ("admin", "staff", "deputy", "council", "both", "agency", "office", "evaluator")
OUTSIDERS = (
    *("hq", "national", "assessor", "finance", "ev-free", "ev-other", "ev-ilam"),
    *("ilam-staff", "ilam-deputy", "ilam-council", "ef-user", "anonymous"),
)


class Workflow(Machine):
    # --- approvals and the release (steps 10 and 11)

    @rule(actor=actors(*DEPUTY))
    def final_approval(self, actor: str) -> None:
        def apply(_approval: Any) -> None:
            self.m.deputy, self.m.results = actor, True

        self.attempt(
            f"{actor}: final-approval",
            self.m.final_approval(actor),
            lambda: final_approve(actor=self.users[actor], cycle=self.cycle()),
            ("approvals", "results"),
            apply,
        )

    @rule(actor=actors(*COUNCIL), minutes=MOSTLY)
    def council_approval(self, actor: str, minutes: bool) -> None:
        self.attempt(
            f"{actor}: council-approval (minutes {minutes})",
            self.m.council_approval(actor, minutes=minutes),
            lambda: council_approve(
                actor=self.users[actor], cycle=self.cycle(), minutes=upload() if minutes else None
            ),
            ("approvals",),
            lambda _approval: setattr(self.m, "council", actor),
        )

    @rule(actor=actors(*DEPUTY), reason=MOSTLY)
    def reopen(self, actor: str, reason: bool) -> None:
        def apply(_withdrawn: Any) -> None:
            self.m.deputy = self.m.council = None

        self.attempt(
            f"{actor}: reopening",
            self.m.reopening(actor, reason=reason),
            lambda: reopen(
                actor=self.users[actor], cycle=self.cycle(), reason=TEXT if reason else ""
            ),
            ("approvals",),
            apply,
        )

    @rule(actor=actors(*PUBLISHERS))
    def release(self, actor: str) -> None:
        self.attempt(
            f"{actor}: publication",
            self.m.publication(actor),
            lambda: publish(actor=self.users[actor], cycle=self.cycle()),
            ("release",),
            lambda _release: setattr(self.m, "released", True),
        )

    # --- the clock: frozen, and only ever moved forward

    @rule(hops=st.integers(1, 6))
    def tick(self, hops: int) -> None:
        """On ``hops`` of the moments around the steps' days and deadlines."""
        later = [t for t in self.base.moments() if t > self.m.now]
        if later and hops:
            self.advance(later[min(hops, len(later)) - 1])

    def advance(self, to: dt.datetime) -> None:
        self.m.now = max(self.m.now, to)
        self.coordinates.move_to(self.m.now)

    # --- the embargo, seen as a random outsider on a random page or API answer

    def secrets(self) -> set[str]:
        """Evaluation scores stored now, as pages (Persian digits) and the API write them."""
        numbers: set[Decimal] = {s for s, _notes, _v in self.m.reviews.values()}
        if self.m.inquiry is not None:
            numbers.add(self.m.inquiry)
        numbers |= {
            score
            for score in Objection.objects.filter(participation_id=self.base.ed).values_list(
                "new_score", flat=True
            )
            if score is not None
        }
        for result in Result.objects.filter(participation__cycle_id=self.base.cycle):
            numbers |= {result.final, result.general} - {result.self_total}
        # Self-scores here are quarters of a gauge's maximum, which HQ may see: a number that
        # is not a quarter came from the evaluation side.
        written = {format(Decimal(n).normalize(), "f") for n in numbers if (Decimal(n) * 4) % 1}
        return written | {fa(Decimal(text)) for text in written}

    @precondition(lambda self: not self.m.released)
    @rule(who=st.sampled_from(OUTSIDERS), index=st.integers(0, 10**6))
    def peek(self, who: str, index: int) -> None:
        if who in self.m.expert():
            return
        paths = urls(self.cycle())
        path = paths[index % len(paths)]
        client = Client()
        if who != "anonymous":
            client.force_login(self.users[who])
        TALLY[("peek", who)] += 1
        assert leaks(client, [path], self.secrets()) == [], f"{who} sees a score on {path}"

    # --- the way forward

    def plan(self) -> Callable[[], None] | None:
        """The next step of the cycle by the right person (None once published). A «late»
        agency never submits: the cycle is approved and published without its evaluation."""
        m, base = self.m, self.base
        if m.released:
            return None
        if m.deputy:
            if m.council is None:
                return lambda: self.council_approval(actor="council", minutes=True)
            return lambda: self.release(actor="staff")
        extend = partial(self.extend, actor="staff", days=20, reason=True)
        if m.state in ("not_started", "draft") and not self.late:
            if not m.open_until(6):
                return extend
            missing = [c for c in (*REVIEWED, BODY) if c not in m.answers]
            if missing:
                return lambda: self.answer("agency", missing[0], 2, stale=False)
            return lambda: self.take("submit", "agency", reason=False, minutes=False, seen="none")
        ahead = {
            "submitted": ("office", "office_approve"),
            "office_approved": ("hq", "hq_approve"),
            "hq_approved": ("hq", "transfer"),
        }
        if m.state in ahead:
            who, name = ahead[m.state]
            if not m.open_until(7):
                return extend
            return lambda: self.take(name, who, reason=False, minutes=True, seen="current")
        if m.state == "transferred":
            missing = [c for c in REVIEWED if c not in m.reviews]
            if not m.sent:
                return lambda: self.send_inquiries(actor="staff")
            if m.inquiry is None:
                return lambda: self.answer_inquiry("assessor", False, 1, False, False)
            if missing and not m.open_until(8):
                return extend
            if missing:
                return lambda: self.review("evaluator", missing[0], 2, True, False)
            if not m.approved:
                return lambda: self.initial_approval(actor="evaluator")
        if m.now < base.opens(9):
            return lambda: self.advance(base.opens(9) + dt.timedelta(hours=10))
        if m.window_open() and not m.objections and m.approved:
            return lambda: self.object(actor="agency", code=REVIEWED[0], reasoning=True)
        for which, o in enumerate(m.objections):
            if o.state == "filed":
                return lambda: self.route(actor="staff", which=which, group="A")
            if o.state == "routed":
                member = MEMBERS[o.group or "A"][0]
                return lambda: self.decide(member, which, o.pk % 2 == 0, 0, True)
        if m.now < base.closes(9):
            return lambda: self.advance(base.closes(9) + dt.timedelta(minutes=1))
        return lambda: self.final_approval(actor="deputy")

    @initialize(depth=st.sampled_from(range(24)), late=RARELY, hops=st.sampled_from(range(9)))
    def fast_forward(self, depth: int, late: bool, hops: int) -> None:
        """Start somewhere along the cycle: ``depth`` steps of the way forward (each checked
        as any other), then the clock ``hops`` moments later."""
        self.late = late
        for _ in range(depth):
            step = self.plan()
            if step is None:
                break
            step()
        self.tick(hops)

    @rule()
    def forward(self) -> None:
        step = self.plan()
        if step is not None:
            step()

    # --- what must hold after every step

    @invariant()
    def everything_holds(self) -> None:
        """The database says what the model says, the approvals rule holds, and no score is
        seen before the release. Each is a function of the rows, the model and the clock: when
        none of them moved since the last check (most actions are refused), nothing can have
        broken."""
        rows = snapshot()
        key = (rows, self.m.expected(), self.m.now)
        if key == self.verified:
            return
        self.verified = key
        assert observe(self.base, rows) == self.m.expected()
        approvals_hold(self.base, rows)
        # Who sees a score depends on the release, the assignments and where objections went.
        seen = tuple(rows[name] for name in ("release", "assignments", "objections"))
        if seen != self.seen:
            self.seen = seen
            self.embargo_holds()

    def embargo_holds(self) -> None:
        """Through the permission every page and API answer asks (``scores.view``), and the
        selectors of the public ranking and the portal."""
        released = self.m.released
        ed = self.p()
        cycle = ed.cycle
        ef = Participation.objects.select_related("agency").get(pk=self.base.ef)
        ef.cycle = cycle
        experts = self.m.expert()
        for name, user in self.users.items():
            if name in OUTSIDERS and name not in experts:
                assert may(user, "scores.view", ed) is released, f"{name} sees AR-ED's scores"
            if name in ENTITLED:
                assert may(user, "scores.view", ed), f"{name} cannot see AR-ED's scores"
            if name in ("agency", "office", "evaluator", "ev-free"):
                assert may(user, "scores.view", ef) is released, f"{name} sees AR-EF's scores"
            assert may(user, "results.public", cycle) is released
        try:
            public_cycle(AnonymousUser(), cycle.pk)
            shown = True
        except Http404:
            shown = False
        assert shown is released, "the public ranking exists before the release"
        assert (cycle.pk in {c.pk for c in released_cycles()}) is released
