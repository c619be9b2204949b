"""Background job: every report card of a cycle, as a ZIP of PDFs (one per agency).

The cards share one read of the standings and peer-group averages (``cards.cards``); each
card's HTML is written here, handed to the worker processes as soon as it is written, and its
chart (a recipe, drawn on one reused matplotlib figure per process) and PDF are made over
every core (``pdf.render_many``), then written to the ZIP in agency order as each is ready.
"""

import io
import zipfile
from collections.abc import Iterator
from functools import partial
from typing import Any

from django.utils.translation import gettext_lazy as _

from karnameh.common.text import persian_digits
from karnameh.jobs.registry import Output, Progress, job_kind

from . import charts
from .cards import cards
from .pdf import INLINE, Image, render_html, render_many
from .views import card_context, pdf_name

TEMPLATE = "reports/card_pdf.html"


@job_kind(
    "reports.cards", label=_("Report cards of every agency (PDF, ZIP)"), action="reports.cards_all"
)
def cards_zip(job: Any, progress: Progress) -> Output:
    cycle = job.cycle
    final, own = str(_("final score")), str(_("self-assessment"))
    found = list(cards(cycle, chart=None))
    total = len(found)

    def documents() -> Iterator[tuple[str, dict[str, Image]]]:
        # Written one by one while the worker processes already turn the first into PDFs.
        for card in found:
            card.chart = f"{INLINE}chart.png"
            html = render_html(TEMPLATE, card_context(None, card))
            yield html, {"chart.png": partial(charts.axis_bars, card.result.axes, final, own)}

    progress(0, total)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        pdfs = render_many(documents(), total=total)
        for done, (card, content) in enumerate(zip(found, pdfs, strict=True), 1):
            archive.writestr(pdf_name(card), content)
            progress(done, total)
    return f"کارنامه‌ها-{persian_digits(cycle.year)}.zip", buffer.getvalue(), "application/zip"
