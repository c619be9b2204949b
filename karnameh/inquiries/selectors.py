"""Reading inquiries: what each person may see, the gauges a topic feeds, and the answers.

``answered_gauges`` is what the rest of the system reads: ``evaluations.final`` takes a body's
answer as the answer that counts for the gauges the catalogue gives to that body.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import PROVINCE_WIDE, grants, has_role, require
from karnameh.assessments.models import Part
from karnameh.assessments.scoring import LATER
from karnameh.catalogue.display import GaugeView, gauge_view
from karnameh.catalogue.store import engine_catalogue
from karnameh.cycles.models import Cycle, Participation
from karnameh.evaluations.models import Assignment
from karnameh.scoring import Catalogue, Gauge, Indicator
from karnameh.scoring.model import effective_assessor

from .models import Inquiry, State, Topic
from .rules import body_ids

# The topics ask about gauges of the general catalogue only.
PART = Part.GENERAL


def answered_gauges(participation: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """(part, gauge code) → the answer an assessing body gave for that gauge of this agency."""
    return answered_gauges_of([participation.pk]).get(participation.pk, {})


def answered_gauges_of(ids: Iterable[int]) -> dict[int, dict[tuple[str, str], dict[str, Any]]]:
    """``answered_gauges`` of many agencies (participation ids) in one query."""
    found: dict[int, dict[tuple[str, str], dict[str, Any]]] = {}
    rows = (
        Inquiry.objects.filter(participation__in=list(ids), state=State.ANSWERED)
        .order_by("answered_at", "pk")
        .values_list("participation_id", "answer")
    )
    for pk, answer in rows:
        for code, data in (answer or {}).items():
            found.setdefault(pk, {})[(PART, code)] = data
    return found


def fed_gauges(topic: Topic, catalogue: Catalogue) -> list[tuple[Indicator, Gauge]]:
    """The gauges of a catalogue a topic's answer feeds: those the catalogue gives its body,
    narrowed to the indicators or gauges the topic names, if it names any."""
    covers = set(topic.covers or ())
    return [
        (indicator, gauge)
        for indicator, gauge in catalogue.gauges()
        if effective_assessor(indicator, gauge) == topic.body.code
        and gauge.rule.kind not in LATER
        and (not covers or gauge.code in covers or indicator.code in covers)
    ]


def inquiry_gauges(inquiry: Inquiry) -> list[tuple[Indicator, Gauge]]:
    """The inquiry's gauges as the engine knows them, in the order they were sent."""
    catalogue = engine_catalogue(inquiry.cycle.general_catalogue)
    found = {gauge.code: (indicator, gauge) for indicator, gauge in catalogue.gauges()}
    return [found[code] for code in inquiry.gauges if code in found]


def gauge_views(inquiry: Inquiry) -> list[GaugeView]:
    """Title, max and rule in words of each gauge the inquiry feeds."""
    bodies = {inquiry.topic.body.code: inquiry.topic.body.name}
    return [gauge_view(indicator, gauge, bodies) for indicator, gauge in inquiry_gauges(inquiry)]


def _related(queryset: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
    return queryset.select_related(
        "topic",
        "topic__body",
        "cycle",
        "cycle__province",
        "cycle__general_catalogue",
        "participation",
        "participation__agency",
    )


def visible_inquiries(user: Any) -> QuerySet[Inquiry]:
    """The organization's side of a province sees its cycles' inquiries; a body its own; an
    evaluator those of the agencies assigned to them. Nobody else sees any."""
    queryset = _related(Inquiry.objects.all())
    found = grants(user)
    if not found:
        return queryset.none()
    if has_role(user, Role.ADMIN):
        return queryset
    condition = Q(pk__in=[])
    provinces = {g.province_id for g in found if g.role in PROVINCE_WIDE}
    if provinces:
        condition |= Q(cycle__province_id__in=provinces)
    bodies = body_ids(user)
    if bodies:
        condition |= Q(topic__body_id__in=bodies)
    if has_role(user, Role.EVALUATOR):
        assigned = Assignment.objects.filter(evaluator_id=user.pk, removed_at__isnull=True)
        condition |= Q(participation_id__in=assigned.values("participation_id"))
    return queryset.filter(condition)


def visible_inquiry(user: Any, pk: int) -> Inquiry:
    """One inquiry the user may see; any other is "not found", never "forbidden"."""
    inquiry = get_object_or_404(visible_inquiries(user), pk=pk)
    require(user, "inquiry.view", inquiry)
    return inquiry


def inbox(user: Any, *, state: str = "") -> list[Inquiry]:
    """The inquiries sent to the user's bodies, in every cycle, the oldest due first."""
    queryset = visible_inquiries(user).filter(topic__body_id__in=body_ids(user))
    now = timezone.now()
    if state == "open":
        queryset = queryset.filter(state=State.SENT)
    elif state == "overdue":
        queryset = queryset.filter(state=State.SENT, due_at__lte=now)
    elif state == "answered":
        queryset = queryset.filter(state=State.ANSWERED)
    return list(queryset.order_by("state", "due_at", "cycle_id", "topic__position", "pk"))


@dataclass
class TopicRows:
    """One topic of a cycle and its inquiries, agency by agency."""

    topic: Topic
    gauges: list[str]
    inquiries: list[Inquiry] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(1 for i in self.inquiries if i.state == State.ANSWERED)


def cycle_topics(cycle: Cycle) -> list[TopicRows]:
    """Each topic whose body scores gauges of the cycle's catalogue, with what was sent."""
    catalogue = engine_catalogue(cycle.general_catalogue)
    rows = {
        topic.pk: TopicRows(topic, [gauge.code for _i, gauge in fed_gauges(topic, catalogue)])
        for topic in Topic.objects.select_related("body")
    }
    sent = _related(Inquiry.objects.filter(cycle=cycle)).order_by(
        "participation__agency__code", "pk"
    )
    for inquiry in sent:
        rows[inquiry.topic_id].inquiries.append(inquiry)
    return [row for row in rows.values() if row.gauges or row.inquiries]


def agency_inquiries(participation: Participation) -> list[Inquiry]:
    return list(
        _related(Inquiry.objects.filter(participation=participation)).order_by(
            "topic__position", "pk"
        )
    )


def overdue(now: dt.datetime | None = None) -> QuerySet[Inquiry]:
    """Every unanswered inquiry past its last day, in every cycle."""
    return _related(
        Inquiry.objects.filter(state=State.SENT, due_at__lte=now or timezone.now())
    ).order_by("topic__body_id", "pk")


def late_counts(inquiries: Iterable[Inquiry], now: dt.datetime) -> int:
    return sum(1 for inquiry in inquiries if inquiry.is_overdue(now))
