"""«My self-assessment»: the menu's way in for an agency's own users."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from karnameh.accounts.permissions import require
from karnameh.results.models import Release

from .selectors import own_participations


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """Straight to the workspace when there is one open cycle; a list when there are more."""
    require(request.user, "assessment.mine")
    found = list(own_participations(request.user))
    if len(found) == 1:
        only = found[0]
        return redirect("assessments:workspace", only.cycle_id, only.agency.code)
    # Published cycles lead on to the agency's report card; one query for all of them.
    released = set(
        Release.objects.filter(cycle__in={p.cycle_id for p in found}).values_list(
            "cycle_id", flat=True
        )
    )
    for p in found:
        p.released = p.cycle_id in released  # type: ignore[attr-defined]
    return render(request, "assessments/mine.html", {"participations": found})
