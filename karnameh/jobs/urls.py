from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.jobs_view, name="list"),
    path("start/", views.start_view, name="start"),
    path("<int:pk>/", views.job_view, name="detail"),
    path("<int:pk>/download/", views.download_view, name="download"),
]
