"""Reading catalogues: the list, one catalogue browsed, its YAML, and two compared."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from karnameh.accounts.permissions import may, require
from karnameh.audit.models import AuditEvent
from karnameh.scoring.diff import diff_catalogues

from .display import assessor_codes, catalogue_view
from .excel import catalogue_response
from .forms import DiffForm
from .models import Catalogue, Gauge
from .selectors import (
    assessing_body_names,
    catalogue_list,
    visible_catalogue,
    visible_catalogues,
)
from .store import engine_catalogue, export_yaml

YAML_CONTENT_TYPE = "application/yaml; charset=utf-8"


def _history(catalogue: Catalogue) -> list[AuditEvent]:
    """The catalogue's events and its gauges' (edits name the gauge they changed)."""
    types = ContentType.objects.get_for_models(Catalogue, Gauge)
    gauges = Gauge.objects.filter(indicator__axis__catalogue=catalogue).values_list("pk")
    events = AuditEvent.objects.filter(
        Q(target_type=types[Catalogue], target_id=str(catalogue.pk))
        | Q(target_type=types[Gauge], target_id__in=[str(pk) for (pk,) in gauges])
    ).select_related("actor", "target_type")
    return list(events.order_by("-id")[:20])


@login_required
@require_GET
def catalogue_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "catalogue.list")
    context = {
        "catalogues": catalogue_list(user=request.user),
        "may_import": may(request.user, "catalogue.create"),
        "may_diff": may(request.user, "catalogue.diff"),
        "may_copy": may(request.user, "catalogue.copy"),
    }
    return render(request, "catalogue/list.html", context)


@login_required
@require_GET
def catalogue_detail(request: HttpRequest, code: str) -> HttpResponse:
    catalogue = visible_catalogue(request.user, code)
    engine = engine_catalogue(catalogue)
    bodies = assessing_body_names(assessor_codes(engine))
    may_change = may(request.user, "catalogue.change", catalogue)
    context = {
        "catalogue": catalogue,
        "engine": engine,
        "axes": catalogue_view(engine, bodies),
        "gauge_count": len(engine.gauges()),
        "may_change": may_change and not catalogue.is_frozen,
        "may_freeze": may(request.user, "catalogue.freeze", catalogue) and not catalogue.is_frozen,
        "may_delete": may(request.user, "catalogue.delete", catalogue) and not catalogue.is_frozen,
        "may_copy": may(request.user, "catalogue.copy", catalogue),
        "may_diff": may(request.user, "catalogue.diff"),
        # A copy may come from a catalogue the reader does not see (another province's).
        "source": catalogue.copied_from
        if catalogue.copied_from and may(request.user, "catalogue.view", catalogue.copied_from)
        else None,
        "events": _history(catalogue) if may_change else None,
    }
    return render(request, "catalogue/detail.html", context)


@login_required
@require_GET
def catalogue_yaml(request: HttpRequest, code: str) -> HttpResponse:
    catalogue = visible_catalogue(request.user, code)
    require(request.user, "catalogue.export", catalogue)
    response = HttpResponse(export_yaml(catalogue), content_type=YAML_CONTENT_TYPE)
    filename = f"{catalogue.code}.yaml"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


@login_required
@require_GET
def catalogue_diff(request: HttpRequest) -> HttpResponse:
    require(request.user, "catalogue.diff")
    catalogues = visible_catalogues(request.user).order_by("-year", "code")
    form = DiffForm(request.GET if "old" in request.GET else None, catalogues=catalogues)
    differences = None
    if form.is_bound and form.is_valid():
        old, new = form.cleaned_data["old"], form.cleaned_data["new"]
        differences = diff_catalogues(engine_catalogue(old), engine_catalogue(new))
    context = {"form": form, "diff": differences}
    return render(request, "catalogue/diff.html", context)


@login_required
@require_GET
def catalogue_excel(request: HttpRequest, code: str) -> HttpResponse:
    catalogue = visible_catalogue(request.user, code)
    require(request.user, "catalogue.export", catalogue)
    engine = engine_catalogue(catalogue)
    return catalogue_response(engine, assessing_body_names(assessor_codes(engine)))
