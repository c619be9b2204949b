"""One gauge, and «try the rule»: figures in, the engine's score and explanation out.

The form is sent with GET: htmx sends it to ``gauge_try`` as people type and puts the partial
in place; without JavaScript the same form reloads the gauge page with the result on it.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from karnameh.accounts.permissions import may, require
from karnameh.scoring import Catalogue as EngineCatalogue
from karnameh.scoring import Gauge, Indicator

from .display import assessor_codes, gauge_view
from .selectors import assessing_body_names, catalogue_gauge, visible_catalogue
from .trying import Tried, TryForm, try_rule


def _tried(
    request: HttpRequest, engine: EngineCatalogue, indicator: Indicator, gauge: Gauge
) -> tuple[TryForm, Tried]:
    form = TryForm(request.GET, indicator=indicator, gauge=gauge)
    answer, others_total = form.answer()
    return form, try_rule(engine, indicator, gauge, answer, others_total)


@login_required
@require_GET
def gauge_detail(request: HttpRequest, code: str, gauge: str) -> HttpResponse:
    catalogue = visible_catalogue(request.user, code)
    engine, indicator, found = catalogue_gauge(catalogue, gauge)
    may_try = may(request.user, "catalogue.try", catalogue)
    tried = None
    if may_try and "try" in request.GET:
        form, tried = _tried(request, engine, indicator, found)
    else:
        form = TryForm(indicator=indicator, gauge=found)
    bodies = assessing_body_names(assessor_codes(engine))
    context: dict[str, Any] = {
        "catalogue": catalogue,
        "view": gauge_view(indicator, found, bodies),
        "form": form if may_try else None,
        "tried": tried,
        "try_url": reverse("catalogue:gauge-try", args=[catalogue.code, found.code]),
        "may_change": may(request.user, "catalogue.change", catalogue) and not catalogue.is_frozen,
    }
    return render(request, "catalogue/gauge.html", context)


@login_required
@require_GET
def gauge_try(request: HttpRequest, code: str, gauge: str) -> HttpResponse:
    """The result partial; htmx puts it under the form as people type."""
    catalogue = visible_catalogue(request.user, code)
    require(request.user, "catalogue.try", catalogue)
    engine, indicator, found = catalogue_gauge(catalogue, gauge)
    _form, tried = _tried(request, engine, indicator, found)
    response = render(request, "catalogue/_try_result.html", {"tried": tried})
    if request.htmx:  # type: ignore[attr-defined]
        # The address bar shows the gauge page with these figures: reloading or sharing it
        # shows the same result without JavaScript.
        page = reverse("catalogue:gauge", args=[catalogue.code, found.code])
        response["HX-Replace-Url"] = f"{page}?{request.GET.urlencode()}"
    return response
