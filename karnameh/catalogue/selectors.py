"""Reading catalogues, always through what the reader may see."""

from typing import Any

from django.db.models import Q, QuerySet, Sum

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import catalogue_provinces, grants, has_role
from karnameh.agencies.models import AssessingBody, Province

from .models import Catalogue


def visible_catalogues(user: Any) -> QuerySet[Catalogue]:
    """Catalogues this user may see: shared ones and their provinces'. Others are "not found"."""
    queryset = Catalogue.objects.select_related("province", "copied_from")
    if not grants(user):
        return queryset.none()
    provinces = catalogue_provinces(user)
    if provinces is None:
        return queryset
    return queryset.filter(Q(province__isnull=True) | Q(province_id__in=provinces))


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
