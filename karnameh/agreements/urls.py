from django.urls import path

from . import views

app_name = "agreements"
urlpatterns = [
    path("<int:cycle_pk>/", views.cycle_view, name="cycle"),
    path("<int:cycle_pk>/import/", views.import_view, name="import"),
    path("<int:cycle_pk>/import/template.xlsx", views.template_view, name="template"),
    path("<int:cycle_pk>/<str:agency_code>/", views.participation_view, name="participation"),
    path("<int:cycle_pk>/<str:agency_code>/assign/", views.assign_view, name="assign"),
    path("<int:cycle_pk>/<str:agency_code>/slice/", views.slice_view, name="slice"),
    path("<int:cycle_pk>/<str:agency_code>/start/", views.start_view, name="start"),
    path("<int:cycle_pk>/<str:agency_code>/impose/", views.impose_view, name="impose"),
    path("<int:cycle_pk>/<str:agency_code>/<int:pk>/targets/", views.targets_view, name="targets"),
    path(
        "<int:cycle_pk>/<str:agency_code>/<int:pk>/approve/<str:side>/",
        views.approve_view,
        name="approve",
    ),
]
