from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("<int:cycle>/", views.approvals_view, name="approvals"),
    path("<int:cycle>/approve/", views.approve_view, name="approve"),
    path("<int:cycle>/council/", views.council_view, name="council"),
    path("<int:cycle>/reopen/", views.reopen_view, name="reopen"),
    path("<int:cycle>/publish/", views.publish_view, name="publish"),
    path("<int:cycle>/minutes/<int:pk>/", views.minutes_view, name="minutes"),
    path("<int:cycle>/public/", views.public_view, name="public"),
]
