"""The national package over the API: its export, its import and the national aggregate.

The same checks and services as the pages (``selectors.export_cycle``, ``package_import``).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from karnameh.accounts.throttle import client_ip

from .aggregate import aggregate
from .models import ProvincialPackage
from .national import build_package
from .selectors import export_cycle
from .services import package_import

router = Router(tags=["exports"])


class PackageOut(Schema):
    id: int
    province_code: str
    province_name: str
    year: int
    agencies: int
    checksum: str
    imported_at: dt.datetime
    imported_by: str

    @staticmethod
    def resolve_imported_by(obj: ProvincialPackage) -> str:
        return obj.imported_by.get_username()


class RowOut(Schema):
    rank: int
    type_rank: int
    province_rank: int
    province_code: str
    code: str
    name: str
    type_code: str
    final: Decimal
    axes: list[dict[str, Any]]


class ProvinceOut(Schema):
    province_code: str
    province_name: str
    agencies: int
    average_final: Decimal
    checksum: str


class AggregateOut(Schema):
    cycle: int
    provinces: list[ProvinceOut]
    ranking: list[RowOut]


@router.get("/{cycle}/package", response=dict[str, Any], summary="The national package (JSON)")
def get_package(request: HttpRequest, cycle: int) -> dict[str, Any]:
    """Format karnameh-national-package/1; only after publication, the organization's side."""
    return build_package(export_cycle(request.user, cycle, "exports.package"))


@router.post(
    "/national/{cycle}/packages",
    response={201: PackageOut},
    summary="Import a province's package into a national cycle",
)
def post_package(
    request: HttpRequest,
    cycle: int,
    package: File[UploadedFile],
    replace: Form[bool] = False,
) -> Status:
    found = export_cycle(request.user, cycle, "exports.import")
    imported = package_import(
        actor=request.user, cycle=found, upload=package, replace=replace, ip=client_ip(request)
    )
    return Status(201, imported)


@router.get("/national/{cycle}", response=AggregateOut, summary="Provinces ranked together")
def get_national(request: HttpRequest, cycle: int) -> dict[str, Any]:
    found = export_cycle(request.user, cycle, "exports.national")
    result = aggregate(found)
    return {
        "cycle": found.pk,
        "provinces": [
            {
                "province_code": p.package.province_code,
                "province_name": p.package.province_name,
                "agencies": p.agencies,
                "average_final": p.average_final.quantize(Decimal("0.01")),
                "checksum": p.package.checksum,
            }
            for p in result.provinces
        ],
        "ranking": result.rows,
    }
