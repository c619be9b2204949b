from django.urls import path

from . import views, views_awards

app_name = "results"
urlpatterns = [
    path("<int:cycle>/", views.approvals_view, name="approvals"),
    path("<int:cycle>/approve/", views.approve_view, name="approve"),
    path("<int:cycle>/council/", views.council_view, name="council"),
    path("<int:cycle>/reopen/", views.reopen_view, name="reopen"),
    path("<int:cycle>/publish/", views.publish_view, name="publish"),
    path("<int:cycle>/minutes/<int:pk>/", views.minutes_view, name="minutes"),
    path("<int:cycle>/public/", views.public_view, name="public"),
    path("<int:cycle>/ranking/", views_awards.ranking_view, name="ranking"),
    path("<int:cycle>/awards/", views_awards.awards_view, name="awards"),
    path("<int:cycle>/awards/festival/", views_awards.policy_view, name="policy"),
    path("<int:cycle>/awards/bonus/", views_awards.bands_view, name="bands"),
    path("<int:cycle>/awards/nominate/", views_awards.nominate_view, name="nominate"),
    path(
        "<int:cycle>/awards/nominations/<int:pk>/remove/",
        views_awards.unnominate_view,
        name="unnominate",
    ),
]
