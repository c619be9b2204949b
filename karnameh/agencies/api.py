from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from karnameh.accounts.permissions import require, visible_agencies
from karnameh.accounts.throttle import client_ip
from karnameh.api.pagination import Pagination

from .models import Agency, AgencyType, Province
from .selectors import search_agencies
from .services import agency_update

router = Router(tags=["agencies"])


class AgencyOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None
    province: str | None
    county: str
    agency_type: str
    has_county_units: bool
    is_active: bool

    @staticmethod
    def resolve_parent(obj: Agency) -> str | None:
        return obj.parent.code if obj.parent_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_province(obj: Agency) -> str | None:
        return obj.province.code if obj.province_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_agency_type(obj: Agency) -> str:
        return obj.agency_type.code


class AgencyPatch(Schema):
    """Only these fields can be changed through the API; anything else is rejected."""

    model_config = {"extra": "forbid"}

    name: str | None = None
    county: str | None = None
    province: str | None = None
    agency_type: str | None = None
    has_county_units: bool | None = None
    is_active: bool | None = None
    reason: str = ""


@router.get("/", response=list[AgencyOut], summary="Agencies the caller may see")
@paginate(Pagination)
def list_agencies(request: HttpRequest, q: str = "") -> object:
    require(request.user, "agency.list")
    return search_agencies(user=request.user, query=q)


@router.get("/{code}", response=AgencyOut, summary="One agency")
def get_agency(request: HttpRequest, code: str) -> Agency:
    agency = get_object_or_404(visible_agencies(request.user), code=code)
    require(request.user, "agency.view", agency)
    return agency


@router.patch("/{code}", response=AgencyOut, summary="Change an agency (staff, admin)")
def patch_agency(request: HttpRequest, code: str, payload: AgencyPatch) -> Agency:
    agency = get_object_or_404(visible_agencies(request.user), code=code)
    # A field sent as null is left as it is, like a field left out: none of them may be empty
    # (null made the database refuse the save, a 500).
    data = payload.dict(exclude_unset=True, exclude_none=True)
    reason = data.pop("reason", "")
    if "province" in data:
        data["province"] = get_object_or_404(Province, code=data["province"])
    if "agency_type" in data:
        data["agency_type"] = get_object_or_404(AgencyType, code=data["agency_type"])
    return agency_update(
        agency=agency, actor=request.user, data=data, reason=reason, ip=client_ip(request)
    )
