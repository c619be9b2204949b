"""Downloads of a cycle's tables and package, and the national cycle's imports and aggregate.

Each download is a GET that checks its own action (``exports.rules``) on the cycle; the
tables come from ``tables`` and ``national``, the files from ``excel``.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from karnameh.accounts.permissions import may
from karnameh.accounts.throttle import client_ip
from karnameh.common.errors import DomainError, Forbidden
from karnameh.common.text import persian_digits
from karnameh.cycles.models import Cycle
from karnameh.cycles.selectors import visible_cycle
from karnameh.objections.models import ObjectionState

from . import tables
from .aggregate import aggregate
from .excel import (
    CSV_CONTENT_TYPE,
    JSON_CONTENT_TYPE,
    Table,
    download,
    jalali_today,
    write_csv,
    write_tables,
    xlsx,
)
from .forms import PackageForm
from .national import build_package, package_bytes, package_tables
from .schema import schema_bytes
from .selectors import export_cycle
from .services import package_import

# (url name, action) of each download the index page offers.
EXPORTS = (
    ("ranking", "exports.results"),
    ("bonus", "exports.results"),
    ("bonus-csv", "exports.results"),
    ("festival", "exports.results"),
    ("objections", "exports.objections"),
    ("inquiries", "exports.inquiries"),
    ("queues", "exports.queues"),
    ("package", "exports.package"),
    ("package-xlsx", "exports.package"),
)


def _file_words() -> dict[str, str]:
    return {
        "ranking": _("ranking"),
        "bonus": _("performance-bonus"),
        "festival": _("festival"),
        "objections": _("objections"),
        "inquiries": _("inquiries"),
        "queues": _("evaluators-queues"),
        "national-package": _("national-package"),
    }


def _name(cycle: Cycle, what: str) -> tuple[str, str]:
    """(name in the reader's language, ASCII name) of a file: what, where, which year, today."""
    day = jalali_today()
    place = cycle.province.code if cycle.province else "national"
    tail = f"{place}-{cycle.year}-{day}"
    return f"{_file_words()[what]}-{tail}", f"{what}-{tail}"


def _workbook(
    request: HttpRequest, cycle: int, action: str, what: str, build: Callable[[Cycle], list[Table]]
) -> HttpResponse:
    found = export_cycle(request.user, cycle, action)
    name, ascii_name = _name(found, what)
    content = write_tables(found.title, build(found))
    return xlsx(content, filename=f"{name}.xlsx", ascii_name=f"{ascii_name}.xlsx")


@login_required
@require_GET
def index_view(request: HttpRequest, cycle: int) -> HttpResponse:
    """The downloads this person may take from the cycle."""
    found = visible_cycle(request.user, cycle)
    offered = {name for name, action in EXPORTS if may(request.user, action, found)}
    if not offered:
        raise Forbidden()
    return render(request, "exports/index.html", {"cycle": found, "offered": offered})


@login_required
@require_GET
def ranking_view(request: HttpRequest, cycle: int) -> HttpResponse:
    return _workbook(request, cycle, "exports.results", "ranking", tables.ranking_tables)


@login_required
@require_GET
def bonus_view(request: HttpRequest, cycle: int) -> HttpResponse:
    return _workbook(request, cycle, "exports.results", "bonus", tables.bonus_tables)


@login_required
@require_GET
def bonus_csv_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = export_cycle(request.user, cycle, "exports.results")
    name, ascii_name = _name(found, "bonus")
    content = write_csv(tables.bonus_headers(), tables.bonus_rows(found))
    return download(
        content,
        filename=f"{name}.csv",
        ascii_name=f"{ascii_name}.csv",
        content_type=CSV_CONTENT_TYPE,
    )


@login_required
@require_GET
def festival_view(request: HttpRequest, cycle: int) -> HttpResponse:
    return _workbook(request, cycle, "exports.results", "festival", tables.festival_tables)


@login_required
@require_GET
def objections_view(request: HttpRequest, cycle: int) -> HttpResponse:
    # The state filter of the objections page.
    state = request.GET.get("state", "")
    chosen = state if state in ObjectionState.values else None
    user = request.user
    return _workbook(
        request,
        cycle,
        "exports.objections",
        "objections",
        lambda c: tables.objection_tables(user, c, chosen),
    )


@login_required
@require_GET
def inquiries_view(request: HttpRequest, cycle: int) -> HttpResponse:
    return _workbook(request, cycle, "exports.inquiries", "inquiries", tables.inquiry_tables)


@login_required
@require_GET
def queues_view(request: HttpRequest, cycle: int) -> HttpResponse:
    return _workbook(request, cycle, "exports.queues", "queues", tables.queue_tables)


@login_required
@require_GET
def package_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = export_cycle(request.user, cycle, "exports.package")
    name, ascii_name = _name(found, "national-package")
    return download(
        package_bytes(build_package(found)),
        filename=f"{name}.json",
        ascii_name=f"{ascii_name}.json",
        content_type=JSON_CONTENT_TYPE,
    )


@login_required
@require_GET
def package_xlsx_view(request: HttpRequest, cycle: int) -> HttpResponse:
    return _workbook(
        request,
        cycle,
        "exports.package",
        "national-package",
        lambda c: package_tables(build_package(c)),
    )


@require_GET
def schema_view(request: HttpRequest) -> HttpResponse:
    """The published schema: anyone may read the format (it holds no data)."""
    response = HttpResponse(schema_bytes(), content_type="application/schema+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def national_view(request: HttpRequest, cycle: int) -> HttpResponse:
    """A national cycle: its imported provinces ranked together, and the import form."""
    found = export_cycle(request.user, cycle, "exports.national")
    imports = may(request.user, "exports.import", found)
    form = PackageForm()
    if request.method == "POST":
        if not imports:
            raise Forbidden()
        form = PackageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                package = package_import(
                    actor=request.user,
                    cycle=found,
                    upload=form.cleaned_data["package"],
                    replace=form.cleaned_data["replace"],
                    ip=client_ip(request),
                )
            except DomainError as error:
                if error.status_code == 403:
                    raise
                form.add_error(None, error.message)
            else:
                messages.success(request, _imported(package))
                return redirect("exports:national", cycle=found.pk)
    context: dict[str, Any] = {
        "cycle": found,
        "aggregate": aggregate(found),
        "imports": imports,
        "form": form,
    }
    return render(request, "exports/national.html", context, status=400 if form.errors else 200)


def _imported(package: Any) -> str:
    return _("The package of %(province)s was imported: %(count)s agencies.") % {
        "province": package.province_name,
        "count": persian_digits(package.agencies),
    }
