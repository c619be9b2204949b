"""The cycle's dashboard (the organization's) and an agency's dashboard. Read-only pages.

Charts are drawn by static/dashboards/charts.js from data the page carries in ``json_script``
tags (the CSP allows no inline script); every chart has a table with the same figures.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import may

from .agency import AgencyDashboard, agency_dashboard
from .selectors import dashboard_cycle, dashboard_participation
from .staff import StaffDashboard, staff_dashboard


def staff_charts(board: StaffDashboard) -> dict[str, Any]:
    """What the cycle's two charts draw: agencies by state, and each evaluator's queue."""
    return {
        "states": {
            "type": "doughnut",
            "labels": [label for _s, label, _n in board.states],
            "datasets": [{"label": _("Agencies"), "data": [n for _s, _l, n in board.states]}],
        },
        "evaluators": {
            "type": "bar",
            "stacked": True,
            "horizontal": True,
            "labels": [q.evaluator.display_name for q in board.evaluators],
            "datasets": [
                {"label": _("Gauges reviewed"), "data": [q.reviewed for q in board.evaluators]},
                {
                    "label": _("Gauges left"),
                    "data": [q.total - q.reviewed for q in board.evaluators],
                },
            ],
        },
    }


def agency_charts(board: AgencyDashboard) -> dict[str, Any]:
    """After the release only: each axis's final score beside the agency's own self-score."""
    if board.standing is None:
        return {}
    return {
        "axes": {
            "type": "bar",
            "labels": [axis["title"] for axis in board.axes],
            "datasets": [
                {"label": _("Final score"), "data": [axis["score"] for axis in board.axes]},
                {"label": _("Self-assessment"), "data": [axis["self"] for axis in board.axes]},
                {"label": _("Maximum"), "data": [axis["max"] for axis in board.axes]},
            ],
        }
    }


@login_required
def cycle_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = dashboard_cycle(request.user, cycle)
    board = staff_dashboard(request.user, found)
    context = {
        "cycle": found,
        "board": board,
        "charts": staff_charts(board),
        # Links to the pages behind each panel, for those who may open them.
        "links": {
            name: may(request.user, action, found)
            for name, action in (
                ("results", "results.view"),
                ("inquiries", "inquiry.manage"),
                ("objections", "objection.cycle"),
                ("evaluators", "evaluation.assign"),
            )
        },
    }
    return render(request, "dashboards/cycle.html", context)


@login_required
def agency_view(request: HttpRequest, cycle: int, agency: str) -> HttpResponse:
    participation = dashboard_participation(request.user, cycle, agency)
    board = agency_dashboard(participation)
    context = {
        "cycle": participation.cycle,
        "participation": participation,
        "board": board,
        "charts": agency_charts(board),
        # The report card, once the person may read it (after publication for the agency).
        "may_card": board.released and may(request.user, "reports.card", participation),
        "may_plan": may(request.user, "reports.plan", participation),
    }
    return render(request, "dashboards/agency.html", context)
