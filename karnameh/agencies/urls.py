from django.urls import path

from . import views, views_excel

app_name = "agencies"
urlpatterns = [
    path("", views.agency_list, name="list"),
    path("new/", views.agency_create_view, name="create"),
    path("import/", views_excel.agency_import, name="import"),
    path("import/template.xlsx", views_excel.agency_import_template, name="import-template"),
    path("export.xlsx", views_excel.agency_export, name="export"),
    path("<str:code>/", views.agency_detail, name="detail"),
    path("<str:code>/edit/", views.agency_edit, name="edit"),
]
