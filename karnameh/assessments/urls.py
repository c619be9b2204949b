from django.urls import path, register_converter

from . import views_mine
from . import views_workspace as workspace


class PartConverter:
    """``general`` or ``specific`` only, so a gauge's address never shadows another page's."""

    regex = "general|specific"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PartConverter, "part")

app_name = "assessments"

GAUGE = "<int:cycle>/<str:agency>/<part:part>/<str:gauge>/"

urlpatterns = [
    path("mine/", views_mine.mine, name="mine"),
    # The workspace: every gauge by axis, one gauge's editor, its evidence.
    path("<int:cycle>/<str:agency>/", workspace.workspace_page, name="workspace"),
    path(GAUGE, workspace.gauge_page, name="gauge"),
    path(f"{GAUGE}score/", workspace.gauge_score, name="gauge-score"),
    path(f"{GAUGE}save/", workspace.gauge_save, name="gauge-save"),
    path(f"{GAUGE}evidence/", workspace.evidence_add_view, name="evidence-add"),
    path(
        "<int:cycle>/<str:agency>/evidence/<int:pk>/", workspace.evidence_download, name="evidence"
    ),
    path(
        "<int:cycle>/<str:agency>/evidence/<int:pk>/remove/",
        workspace.evidence_remove_view,
        name="evidence-remove",
    ),
]

# Submission, approval, transfer, returns and extensions (views_workflow). Put first: their
# literal segments (act/, submit/) would otherwise be taken for a part and a gauge code.
from . import views_workflow as wf  # noqa: E402

urlpatterns[:0] = [
    path("<int:cycle_pk>/", wf.cycle_participations, name="cycle"),
    path("<int:cycle_pk>/<str:agency_code>/submit/", wf.submit_check, name="submit"),
    path("<int:cycle_pk>/<str:agency_code>/receipt/", wf.receipt, name="receipt"),
    path("<int:cycle_pk>/<str:agency_code>/extend/", wf.extend, name="extend"),
    path("<int:cycle_pk>/<str:agency_code>/minutes/", wf.minutes, name="minutes"),
    path("<int:cycle_pk>/<str:agency_code>/act/<str:name>/", wf.act, name="act"),
]
