from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("<int:cycle>/", views.cycle_view, name="cycle"),
    path("<int:cycle>/<str:agency>/", views.agency_view, name="agency"),
]
