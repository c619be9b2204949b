"""The tables each export writes, read through the same selectors as the pages that show them.

Every function here takes a cycle the caller has already checked (``exports.selectors``) and
returns ``excel.Table`` objects; the views turn them into a workbook or a CSV file. Each costs
a fixed number of queries whatever the number of agencies (``tests/test_queries.py``).
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from karnameh.accounts.permissions import may
from karnameh.common.jalali import format_jalali_date
from karnameh.common.text import persian_digits
from karnameh.cycles.models import Cycle
from karnameh.evaluations.selectors import board, evaluator_loads
from karnameh.inquiries.selectors import cycle_topics
from karnameh.objections.selectors import cycle_objections
from karnameh.results.models import BonusBand, Nomination
from karnameh.results.ranking import Standing, by_peer_group, standings
from karnameh.scoring.numbers import written

from .excel import Column, Table


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


# The ranking ---------------------------------------------------------------------------


def ranking_columns() -> list[Column]:
    return [
        Column(_("Rank"), 8),
        Column(_("Rank in the peer group"), 12),
        Column(_("Agency code"), 14),
        Column(_("Agency"), 45),
        Column(_("Agency type"), 24),
        Column(_("Self-assessment total"), 14),
        Column(_("General score"), 12),
        Column(_("Specific score"), 12),
        Column(_("Final score (of 100)"), 14),
        Column(_("Change since last year"), 14),
        Column(_("Bonus coefficient"), 12),
        Column(_("Festival"), 10),
    ]


def ranking_row(s: Standing) -> list[Any]:
    r = s.result
    return [
        s.rank,
        s.peer_rank,
        s.agency.code,
        s.agency.name,
        s.agency.agency_type.name,
        r.self_total,
        r.general,
        r.specific,
        r.final,
        s.change,
        s.bonus,
        _yes_no(s.festival),
    ]


def ranking_tables(cycle: Cycle, rows: list[Standing] | None = None) -> list[Table]:
    """The overall ranking, then one sheet per peer group (agency type)."""
    rows = standings(cycle) if rows is None else rows
    columns = ranking_columns()
    tables = [Table(_("Overall ranking"), columns, [ranking_row(s) for s in rows])]
    for kind, members in by_peer_group(rows):
        tables.append(Table(kind.name, columns, [ranking_row(s) for s in members]))
    return tables


# The performance bonus -----------------------------------------------------------------


def _number(value: Decimal) -> str:
    return str(written(value))


def band_label(bands: Sequence[BonusBand], final: Decimal) -> str:
    """The band a final score falls in, e.g. «80–90» (the upper bound excluded), «90+» for
    the top band; "" below the lowest band. The same edges as ``ranking.coefficient``."""
    ordered = sorted(bands, key=lambda b: b.lower)
    label = ""
    for index, band in enumerate(ordered):
        if final >= band.lower:
            upper = ordered[index + 1].lower if index + 1 < len(ordered) else None
            lower = _number(band.lower)
            label = f"{lower}–{_number(upper)}" if upper is not None else f"{lower}+"
    return label


def bonus_headers() -> list[str]:
    return [_("Agency code"), _("Agency"), _("Final score (of 100)"), _("Band"), _("Coefficient")]


def bonus_rows(cycle: Cycle, rows: list[Standing] | None = None) -> list[list[Any]]:
    """Per agency, in the order of the ranking: what payroll needs and nothing else."""
    rows = standings(cycle) if rows is None else rows
    bands = list(BonusBand.objects.filter(cycle=cycle))
    return [
        [s.agency.code, s.agency.name, s.result.final, band_label(bands, s.result.final), s.bonus]
        for s in rows
    ]


def bonus_tables(cycle: Cycle) -> list[Table]:
    widths = (14, 45, 14, 14, 12)
    columns = [Column(h, w) for h, w in zip(bonus_headers(), widths, strict=True)]
    rows = [[*row[:3], persian_digits(row[3]), row[4]] for row in bonus_rows(cycle)]
    return [Table(_("Performance bonus"), columns, rows)]


# The festival --------------------------------------------------------------------------


def festival_tables(cycle: Cycle) -> list[Table]:
    """The agencies honoured in each peer group, and the nominated managers and experts."""
    honoured = [
        [kind.name, s.peer_rank, s.agency.code, s.agency.name, s.result.final]
        for kind, members in by_peer_group(standings(cycle))
        for s in members
        if s.festival
    ]
    nominations = Nomination.objects.filter(participation__cycle=cycle).select_related(
        "participation__agency"
    )
    nominated = [
        [
            n.participation.agency.code,
            n.participation.agency.name,
            n.get_kind_display(),
            n.full_name,
            n.position,
            n.reason,
        ]
        for n in nominations
    ]
    return [
        Table(
            _("Agencies honoured"),
            [
                Column(_("Peer group"), 24),
                Column(_("Rank in the peer group"), 12),
                Column(_("Agency code"), 14),
                Column(_("Agency"), 45),
                Column(_("Final score (of 100)"), 14),
            ],
            honoured,
        ),
        Table(
            _("Nominated people"),
            [
                Column(_("Agency code"), 14),
                Column(_("Agency"), 45),
                Column(_("Kind"), 10),
                Column(_("Full name"), 28),
                Column(_("Position"), 28),
                Column(_("Reason for the nomination"), 60),
            ],
            nominated,
        ),
    ]


# The staff tables ----------------------------------------------------------------------


def objection_tables(user: Any, cycle: Cycle, state: str | None = None) -> list[Table]:
    """The objections page's table; a score only where its page shows one (``scores.view``)."""
    objections = cycle_objections(cycle, state)
    shown: dict[int, bool] = {}
    rows = []
    for o in objections:
        o.participation.cycle = cycle  # one cycle object: its release is read once
        if o.participation_id not in shown:
            shown[o.participation_id] = may(user, "scores.view", o.participation)
        sees = shown[o.participation_id]
        rows.append(
            [
                o.participation.agency.code,
                o.participation.agency.name,
                o.get_part_display(),
                o.gauge_code,
                format_jalali_date(o.filed_at),
                o.get_state_display(),
                o.group.name if o.group else "",
                o.old_score if sees else None,
                o.new_score if sees else None,
                format_jalali_date(o.decided_at),
            ]
        )
    columns = [
        Column(_("Agency code"), 14),
        Column(_("Agency"), 40),
        Column(_("Part"), 10),
        Column(_("Gauge"), 10),
        Column(_("Filed"), 12),
        Column(_("State"), 18),
        Column(_("Expert group"), 24),
        Column(_("Score objected to"), 12),
        Column(_("New score"), 12),
        Column(_("Decided"), 12),
    ]
    return [Table(_("Objections"), columns, rows)]


def inquiry_tables(cycle: Cycle) -> list[Table]:
    """Every inquiry of the cycle, topic by topic, as the inquiries page lists them."""
    rows = [
        [
            topic.topic.body.name,
            topic.topic.title,
            i.participation.agency.code,
            i.participation.agency.name,
            "، ".join(i.gauges),
            i.get_state_display(),
            format_jalali_date(i.sent_at),
            format_jalali_date(i.due_at),
            format_jalali_date(i.answered_at),
            i.get_how_display() if i.how else "",
        ]
        for topic in cycle_topics(cycle)
        for i in topic.inquiries
    ]
    columns = [
        Column(_("Assessing body"), 28),
        Column(_("Topic"), 36),
        Column(_("Agency code"), 14),
        Column(_("Agency"), 40),
        Column(_("Gauges"), 20),
        Column(_("State"), 18),
        Column(_("Sent"), 12),
        Column(_("Due"), 12),
        Column(_("Answered"), 12),
        Column(_("Answered how"), 22),
    ]
    return [Table(_("Inquiries"), columns, rows)]


def queue_tables(cycle: Cycle) -> list[Table]:
    """The board: each active assignment with its progress; then each evaluator's load."""
    assignments = [
        [
            a.evaluator.get_username(),
            a.evaluator.display_name,
            a.get_scope_display(),
            a.get_origin_display(),
            row.participation.agency.code,
            row.participation.agency.name,
            row.participation.get_state_display(),
            a.reviewed,  # type: ignore[attr-defined]
            a.total,  # type: ignore[attr-defined]
            _yes_no(a.approved_at is not None),
        ]
        for row in board(cycle)
        for a in (*row.general, *row.specific)
    ]
    assignments.sort(key=lambda r: (r[0], r[4]))
    loads = [
        [
            load.evaluator.get_username(),
            load.evaluator.display_name,
            _("general") if load.scope == "general" else _("specific"),
            _("internal") if load.origin == "internal" else _("external"),
            load.count,
        ]
        for load in evaluator_loads(cycle)
    ]
    return [
        Table(
            _("Evaluators' queues"),
            [
                Column(_("Username"), 16),
                Column(_("Evaluator"), 26),
                Column(_("Part"), 10),
                Column(_("Origin"), 10),
                Column(_("Agency code"), 14),
                Column(_("Agency"), 40),
                Column(_("Self-assessment"), 22),
                Column(_("Gauges scored"), 12),
                Column(_("Gauges in all"), 12),
                Column(_("Initial approval"), 12),
            ],
            assignments,
        ),
        Table(
            _("Workload of the evaluators"),
            [
                Column(_("Username"), 16),
                Column(_("Evaluator"), 26),
                Column(_("Part"), 10),
                Column(_("Origin"), 10),
                Column(_("Assignments"), 12),
            ],
            loads,
        ),
    ]
