"""Reading catalogues, always through what the reader may see."""

from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import catalogue_provinces, grants, has_role, require
from karnameh.agencies.models import AssessingBody, Province
from karnameh.scoring import Catalogue as EngineCatalogue
from karnameh.scoring import Gauge, Indicator

from .models import Catalogue
from .store import engine_catalogue


def visible_catalogues(user: Any) -> QuerySet[Catalogue]:
    """Catalogues this user may see: shared ones and their provinces'. Others are "not found"."""
    queryset = Catalogue.objects.select_related("province", "copied_from")
    if not grants(user):
        return queryset.none()
    provinces = catalogue_provinces(user)
    if provinces is None:
        return queryset
    return queryset.filter(Q(province__isnull=True) | Q(province_id__in=provinces))


def visible_catalogue(user: Any, code: str) -> Catalogue:
    """The catalogue if the user may see it; another province's is "not found", never 403.

    Pages and the API both find a catalogue here.
    """
    catalogue = get_object_or_404(visible_catalogues(user), code=code)
    require(user, "catalogue.view", catalogue)
    return catalogue


def catalogue_gauge(catalogue: Catalogue, code: str) -> tuple[EngineCatalogue, Indicator, Gauge]:
    """One gauge of a catalogue, compiled, with its indicator; "not found" when there is none."""
    engine = engine_catalogue(catalogue)
    found = engine.gauge(code)
    if found is None:
        raise Http404
    return engine, found[0], found[1]


def catalogue_list(*, user: Any) -> QuerySet[Catalogue]:
    """The list page: newest year first, with the axes' total for those without a declared one."""
    return (
        visible_catalogues(user)
        .annotate(axes_max=Sum("axes__max_score"))
        .order_by("-year", "province__name", "code")
    )


def assessing_body_names(codes: set[str]) -> dict[str, str]:
    """Names of the assessing bodies a catalogue names, by code (one query)."""
    if not codes:
        return {}
    return dict(AssessingBody.objects.filter(code__in=codes).values_list("code", "name"))


def managed_provinces(user: Any) -> QuerySet[Province]:
    """Provinces in which the user may create catalogues (the administrator: every one)."""
    if has_role(user, Role.ADMIN):
        return Province.objects.order_by("name")
    own = {g.province_id for g in grants(user) if g.role == Role.STAFF}
    return Province.objects.filter(pk__in=own).order_by("name")
