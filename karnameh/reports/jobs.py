"""Background job: every report card of a cycle, as a ZIP of PDFs (one per agency).

The cards share one read of the standings and peer-group averages (``cards.cards``); each
card's HTML is written here, and its chart (a recipe, drawn on one reused matplotlib figure per
process) and PDF are made over every core (``pdf.render_many``), then written to the ZIP in
agency order as each is ready.
"""

import io
import zipfile
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
    names: list[str] = []
    htmls: list[str] = []
    images: list[dict[str, Image]] = []
    final, own = str(_("final score")), str(_("self-assessment"))
    for found in cards(cycle, chart=None):
        names.append(pdf_name(found))
        found.chart = f"{INLINE}chart.png"
        htmls.append(render_html(TEMPLATE, card_context(None, found)))
        images.append({"chart.png": partial(charts.axis_bars, found.result.axes, final, own)})
    total = len(htmls)
    progress(0, total)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, (name, content) in enumerate(
            zip(names, render_many(htmls, images=images), strict=True), 1
        ):
            archive.writestr(name, content)
            progress(done, total)
    return f"کارنامه‌ها-{persian_digits(cycle.year)}.zip", buffer.getvalue(), "application/zip"
