from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("schema/national-package-1.json", views.schema_view, name="schema"),
    path("national/<int:cycle>/", views.national_view, name="national"),
    path("<int:cycle>/", views.index_view, name="index"),
    path("<int:cycle>/ranking.xlsx", views.ranking_view, name="ranking"),
    path("<int:cycle>/bonus.xlsx", views.bonus_view, name="bonus"),
    path("<int:cycle>/bonus.csv", views.bonus_csv_view, name="bonus-csv"),
    path("<int:cycle>/festival.xlsx", views.festival_view, name="festival"),
    path("<int:cycle>/objections.xlsx", views.objections_view, name="objections"),
    path("<int:cycle>/inquiries.xlsx", views.inquiries_view, name="inquiries"),
    path("<int:cycle>/queues.xlsx", views.queues_view, name="queues"),
    path("<int:cycle>/package.json", views.package_view, name="package"),
    path("<int:cycle>/package.xlsx", views.package_xlsx_view, name="package-xlsx"),
]
