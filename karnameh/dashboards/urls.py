from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("<int:cycle>/", views.cycle_view, name="cycle"),
    path("<int:cycle>/agency/<str:agency>/", views.agency_view, name="agency"),
]
