"""The jobs app's own kind: recomputing a cycle's provisional scorecards into a CSV.

It proves the machinery end to end (progress per agency, a file to download) and gives the
organization a quick table of where every agency stands before the final approval. The CSV
holds scores, so its action is ``results.view``: the organization's side of the province only.
"""

import csv
import io

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from karnameh.cycles.models import Participation

from .models import Job
from .registry import Output, Progress, job_kind


@job_kind(
    "results.recompute",
    label=gettext_lazy("Recompute the cycle's scorecards"),
    action="results.view",
)
def recompute(job: Job, progress: Progress) -> Output:
    from karnameh.evaluations.final import load_inputs, scorecard
    from karnameh.scoring import collector_paused

    cycle = job.cycle
    prefetch_related_objects([cycle], "weight_sets")
    participations = list(
        Participation.objects.filter(cycle=cycle)
        .select_related("agency", "agency__agency_type", "specific_catalogue")
        .order_by("agency__code")
    )
    for p in participations:
        # One cycle object for all: its catalogue and weights are read once, not per agency.
        p.cycle = cycle
    total = len(participations)
    progress(0, total)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Agency code"), _("Agency"), _("Provisional total"), _("Complete")])
    with collector_paused():  # as results.readiness: a whole cycle read and scored
        inputs = load_inputs(participations)
        for done, p in enumerate(participations, start=1):
            card = scorecard(p, inputs[p.pk])
            writer.writerow(
                [
                    p.agency.code,
                    p.agency.name,
                    format(card.composed.final, "f"),
                    _("yes") if card.complete else _("no"),
                ]
            )
            progress(done, total)
    # The byte-order mark makes Excel read the Persian names as UTF-8.
    content = buffer.getvalue().encode("utf-8-sig")
    return f"scorecards-{cycle.year}-{cycle.pk}.csv", content, "text/csv; charset=utf-8"
