from django.urls import path

from . import views, views_manage, views_try

app_name = "catalogue"
urlpatterns = [
    path("", views.catalogue_list_view, name="list"),
    path("import/", views_manage.catalogue_import_view, name="import"),
    path("diff/", views.catalogue_diff, name="diff"),
    path("<slug:code>/", views.catalogue_detail, name="detail"),
    path("<slug:code>/export.yaml", views.catalogue_yaml, name="yaml"),
    path("<slug:code>/export.xlsx", views.catalogue_excel, name="excel"),
    path("<slug:code>/import/", views_manage.catalogue_import_view, name="replace"),
    path("<slug:code>/copy/", views_manage.catalogue_copy_view, name="copy"),
    path("<slug:code>/freeze/", views_manage.catalogue_freeze_view, name="freeze"),
    path("<slug:code>/delete/", views_manage.catalogue_delete_view, name="delete"),
    path("<slug:code>/gauges/<str:gauge>/", views_try.gauge_detail, name="gauge"),
    path("<slug:code>/gauges/<str:gauge>/try/", views_try.gauge_try, name="gauge-try"),
    path("<slug:code>/gauges/<str:gauge>/edit/", views_manage.gauge_edit, name="gauge-edit"),
]
