from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("<int:cycle>/", views.board_view, name="board"),
    path("<int:cycle>/add/", views.add_view, name="add"),
    path("<int:cycle>/remove/<int:pk>/", views.remove_view, name="remove"),
    path("<int:cycle>/suggest/", views.suggest_view, name="suggest"),
    path("<int:cycle>/suggest/apply/", views.apply_view, name="apply"),
    path("<int:cycle>/conflict/", views.conflict_view, name="conflict"),
    path("<int:cycle>/queue/", views.queue_view, name="queue"),
]
