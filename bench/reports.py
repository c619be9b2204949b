"""Benchmark: every report card of a published province of 100 agencies, as PDFs.

Builds the province with ``bench/province.py`` (the full 1397 catalogue, real services), then
times the job that the organization runs (``reports.cards``: all cards as a ZIP of PDFs) and,
apart, one card's parts: the selector (queries and peer averages), the chart and the PDF.
The target: 100 cards in under 60 s on the development machine. Writes one card's PDF and
the ZIP next to the database, for looking at. Run: ``.venv/bin/python bench/reports.py [n]``.
"""

import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))

from province import published_province, setup

TARGET = 60.0


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    workdir = setup()
    began = time.perf_counter()
    cycle = published_province(n)
    print(f"built {n} agencies in {time.perf_counter() - began:.1f} s")

    from karnameh.reports import charts
    from karnameh.reports.cards import card, cards, peers
    from karnameh.reports.jobs import cards_zip
    from karnameh.reports.pdf import render_pdf
    from karnameh.reports.views import card_context

    first = cycle.participations.select_related("cycle__province", "agency").first()
    charts.font_family()
    t = time.perf_counter()
    shared = peers(cycle)
    one = card(first, shared=shared, chart=None)
    select = time.perf_counter() - t
    t = time.perf_counter()
    one.chart = charts.axis_chart(
        one.result.axes, final_label="نهایی", self_label="خودارزیابی", fmt="png"
    )
    chart = time.perf_counter() - t
    t = time.perf_counter()
    content = render_pdf("reports/card_pdf.html", card_context(None, one))
    pdf = time.perf_counter() - t
    Path(workdir, "card.pdf").write_bytes(content)
    gauges = sum(len(i.gauges) for a in one.axes for i in a.indicators)
    print(
        f"one card ({gauges} gauges, {len(content) // 1024} KiB): selector {select:.2f} s, "
        f"chart {chart:.3f} s, PDF {pdf:.2f} s"
    )

    t = time.perf_counter()
    count = sum(1 for _ in cards(cycle, chart="png"))
    print(f"all {count} cards' data and charts: {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    _name, zipped, _mime = cards_zip(SimpleNamespace(cycle=cycle), lambda done, total: None)
    total = time.perf_counter() - t
    Path(workdir, "cards.zip").write_bytes(zipped)
    print(
        f"reports.cards job: {n} report cards as PDFs in {total:.1f} s "
        f"({total / n:.2f} s per card, ZIP {len(zipped) // 1024} KiB); target {TARGET:.0f} s; "
        f"files in {workdir}"
    )
    return 0 if total < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
