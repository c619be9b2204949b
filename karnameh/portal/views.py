"""The public portal's pages: no sign-in, published results only, cached.

The pages are rendered WITHOUT the request: they do not depend on who asks (``PUBLIC`` in
the selectors), so one cached copy serves everyone, and nothing reads the session or the CSRF
token, so an anonymous visitor is sent no cookie at all. The price: a signed-in person sees
the portal's header without their menu, as the public does.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from karnameh.common.replica import replica_reads
from karnameh.common.templatetags.fa import fa
from karnameh.common.text import normalize_input
from karnameh.cycles.models import Cycle

from .cache import generation, remembered, short
from .selectors import (
    Board,
    Row,
    Year,
    axis_lines,
    board,
    portal_cycle,
    released_cycles,
    search_key,
    years,
)

# Browsers and proxies may keep a page a while; the index changes when a cycle is released.
INDEX_AGE = 5 * 60
CYCLE_AGE = 60 * 60
QUERY_LENGTH = 100


def _page(html: str, *, max_age: int) -> HttpResponse:
    response = HttpResponse(html)
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def _board(gen: str, cycle: Cycle) -> Board:
    return remembered(gen, f"board:{cycle.pk}", lambda: board(cycle))


def query_of(request: HttpRequest) -> str:
    return normalize_input(request.GET.get("q", ""))[:QUERY_LENGTH]


@replica_reads
def index_view(request: HttpRequest) -> HttpResponse:
    gen = generation()
    html = remembered(
        gen,
        "index",
        lambda: render_to_string("portal/index.html", {"cycles": released_cycles()}),
    )
    return _page(html, max_age=INDEX_AGE)


@replica_reads
def cycle_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = portal_cycle(cycle)
    gen = generation()
    query = query_of(request)

    def build() -> str:
        full = _board(gen, found)
        shown = full.matching(query)
        return render_to_string(
            "portal/cycle.html",
            {"cycle": found, "board": shown, "total": len(full.rows), "query": query},
        )

    html = remembered(gen, f"cycle:{found.pk}:{short(search_key(query))}", build)
    return _page(html, max_age=CYCLE_AGE)


def _axes_chart(row: Row, lines: list[Any]) -> dict[str, Any]:
    return {
        "type": "bar",
        "horizontal": True,
        "max": 100,
        "labels": [line.axis.title for line in lines],
        "datasets": [
            {"label": row.name, "data": [float(line.axis.percent) for line in lines]},
            {
                "label": _("Average of the peer group"),
                "data": [
                    None if line.peer_average is None else float(line.peer_average)
                    for line in lines
                ],
            },
        ],
    }


def _years_chart(history: list[Year]) -> dict[str, Any]:
    return {
        "type": "line",
        "max": 100,
        "labels": [fa(str(y.year)) for y in history],
        "datasets": [{"label": _("Final score"), "data": [float(y.final) for y in history]}],
    }


@replica_reads
def agency_view(request: HttpRequest, cycle: int, agency: str) -> HttpResponse:
    found = portal_cycle(cycle)
    gen = generation()

    def build() -> str:
        full = _board(gen, found)
        row = full.row(agency)  # 404 for an agency outside this cycle
        lines = axis_lines(row, full.peers(row))
        history = years(found, row.code)
        columns = [line.axis for line in lines]
        return render_to_string(
            "portal/agency.html",
            {
                "cycle": found,
                "row": row,
                "total": len(full.rows),
                "lines": lines,
                "history": [
                    (y, [y.axes.get(axis.key) for axis in columns]) for y in reversed(history)
                ],
                "columns": columns,
                "axes_chart": _axes_chart(row, lines),
                "years_chart": _years_chart(history),
            },
        )

    html = remembered(gen, f"agency:{found.pk}:{short(agency)}", build)
    return _page(html, max_age=CYCLE_AGE)
