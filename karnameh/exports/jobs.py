"""Big exports as background jobs (``karnameh.jobs``): the ranking of a large cycle."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from karnameh.common.excel import XLSX_CONTENT_TYPE
from karnameh.jobs.registry import Output, Progress, job_kind

from .excel import jalali_today, write_tables
from .tables import ranking_tables

if TYPE_CHECKING:
    from karnameh.jobs.models import Job


@job_kind("exports.ranking", label=_("The ranking as an Excel workbook"), action="exports.results")
def ranking_workbook(job: "Job", progress: Progress) -> Output:
    cycle = job.cycle
    progress(0, 2)
    built = ranking_tables(cycle)
    progress(1, 2)
    content = write_tables(cycle.title, built)
    progress(2, 2)
    place = cycle.province.code if cycle.province else "national"
    return f"ranking-{place}-{cycle.year}-{jalali_today()}.xlsx", content, XLSX_CONTENT_TYPE
