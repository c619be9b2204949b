from django.urls import path

from . import views, views_staff

app_name = "objections"

AGENCY = "<int:cycle>/agency/<str:agency>/"
OBJECTION = "<int:cycle>/<int:pk>/"

urlpatterns = [
    # The organization's side.
    path("<int:cycle>/", views_staff.cycle_view, name="cycle"),
    path("<int:cycle>/record/", views_staff.record_view, name="record"),
    path("<int:cycle>/groups/", views_staff.groups_view, name="groups"),
    path("<int:cycle>/groups/<int:pk>/", views_staff.group_view, name="group"),
    path("<int:cycle>/groups/<int:pk>/members/", views_staff.members_view, name="members"),
    path("<int:cycle>/groups/<int:pk>/meetings/", views_staff.meeting_view, name="meeting"),
    path("<int:cycle>/minutes/<int:pk>/", views_staff.minutes_view, name="minutes"),
    path("<int:cycle>/queue/", views_staff.queue_view, name="queue"),
    # The agency.
    path(AGENCY, views.agency_view, name="agency"),
    path(f"{AGENCY}<str:part>/<str:gauge>/file/", views.file_view, name="file"),
    # One objection: whoever may read it; the moves, each for its role.
    path(OBJECTION, views.detail_view, name="detail"),
    path(f"{OBJECTION}withdraw/", views.withdraw_view, name="withdraw"),
    path(f"{OBJECTION}route/", views.route_view, name="route"),
    path(f"{OBJECTION}decide/", views.decide_view, name="decide"),
    path(f"{OBJECTION}preview/", views.preview_view, name="preview"),
    path(f"{OBJECTION}evidence/<int:file>/", views.evidence_view, name="evidence"),
]
