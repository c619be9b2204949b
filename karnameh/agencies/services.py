"""Every change to the agency registry: checked, saved and audited in one transaction."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import require
from karnameh.audit.services import diff, record
from karnameh.common.errors import DomainError

from .models import (
    ALLOWED_PARENT_KINDS,
    PROVINCIAL_KINDS,
    Agency,
    AgencyKind,
    validate_agency_code,
)

# The fields a registry form or API call may set; anything else in the input is ignored.
EDITABLE_FIELDS = (
    "code",
    "name",
    "kind",
    "parent",
    "province",
    "county",
    "agency_type",
    "has_county_units",
    "is_active",
)


def snapshot(agency: Agency) -> dict[str, Any]:
    """The audited state of an agency: plain values, foreign keys by code."""
    return {
        "code": agency.code,
        "name": agency.name,
        "kind": agency.kind,
        "parent": agency.parent.code if agency.parent_id else None,  # type: ignore[union-attr]
        "province": agency.province.code if agency.province_id else None,  # type: ignore[union-attr]
        "county": agency.county,
        "agency_type": agency.agency_type.code if agency.agency_type_id else None,
        "has_county_units": agency.has_county_units,
        "is_active": agency.is_active,
    }


def check_structure(agency: Agency) -> list[str]:
    """What is wrong with where this agency stands in the tree, as Persian sentences."""
    problems: list[str] = []
    try:
        validate_agency_code(agency.code)
    except ValidationError as error:
        problems.extend(error.messages)
    allowed = ALLOWED_PARENT_KINDS[agency.kind]
    parent = agency.parent
    if agency.kind == AgencyKind.HEADQUARTERS:
        if parent is not None:
            problems.append(_("A national headquarters cannot have a parent agency."))
    elif parent is None:
        problems.append(
            _("A %(kind)s needs a parent agency.") % {"kind": agency.get_kind_display()}
        )
    elif parent.kind not in allowed:
        problems.append(
            _("A %(kind)s cannot stand under a %(parent_kind)s (%(parent)s).")
            % {
                "kind": agency.get_kind_display(),
                "parent_kind": parent.get_kind_display(),
                "parent": parent.code,
            }
        )
    if agency.kind in PROVINCIAL_KINDS and agency.province_id is None:
        problems.append(_("A %(kind)s needs a province.") % {"kind": agency.get_kind_display()})
    if agency.kind not in PROVINCIAL_KINDS and agency.province_id is not None:
        problems.append(
            _("A %(kind)s is national and has no province.") % {"kind": agency.get_kind_display()}
        )
    if (
        agency.kind == AgencyKind.COUNTY_UNIT
        and parent is not None
        and parent.province_id != agency.province_id
    ):
        problems.append(_("A county unit must be in the same province as its provincial unit."))
    if agency.kind == AgencyKind.COUNTY_UNIT and not agency.county:
        problems.append(_("A county unit needs the name of its county."))
    if agency.kind != AgencyKind.COUNTY_UNIT and agency.county:
        problems.append(_("Only a county unit has a county."))
    if agency.has_county_units and agency.kind != AgencyKind.PROVINCIAL_UNIT:
        problems.append(_("Only a provincial unit can have county units."))
    ancestor, seen = parent, {agency.pk}
    while ancestor is not None:
        if ancestor.pk in seen:
            problems.append(_("An agency cannot stand under itself."))
            break
        seen.add(ancestor.pk)
        ancestor = ancestor.parent
    return problems


def _save_checked(agency: Agency) -> None:
    problems = check_structure(agency)
    if Agency.objects.filter(code=agency.code).exclude(pk=agency.pk).exists():
        problems.insert(
            0, _("The code %(code)s is already used by another agency.") % {"code": agency.code}
        )
    if problems:
        raise DomainError(" ".join(problems), code="invalid_agency")
    agency.save()


def agency_create(*, actor: Any, data: dict[str, Any], ip: str | None = None) -> Agency:
    agency = Agency(**{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    # With the agency itself: a unit with no province (an HQ) is the administrator's alone.
    require(actor, "agency.create", agency)
    with transaction.atomic():
        _save_checked(agency)
        record(
            actor=actor,
            action="agency.create",
            target=agency,
            changes=diff({}, snapshot(agency)),
            ip=ip,
        )
    return agency


def agency_update(
    *, agency: Agency, actor: Any, data: dict[str, Any], reason: str = "", ip: str | None = None
) -> Agency:
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        require(actor, "agency.change", locked)
        before = snapshot(locked)
        for field, value in data.items():
            if field in EDITABLE_FIELDS:
                setattr(locked, field, value)
        # Moving to another province is a change the actor must also be allowed to make there.
        require(actor, "agency.change", locked)
        _save_checked(locked)
        changes = diff(before, snapshot(locked))
        if changes:
            if "parent" in changes or "kind" in changes:
                refresh_headquarters(locked)
            record(
                actor=actor,
                action="agency.update",
                target=locked,
                changes=changes,
                reason=reason,
                ip=ip,
            )
    return locked


def refresh_headquarters(root: Agency) -> None:
    """After a move, every unit under ``root`` belongs to root's HQ."""
    frontier = [root.pk]
    while frontier:
        Agency.objects.filter(parent_id__in=frontier).update(headquarters_id=root.headquarters_id)
        frontier = list(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
