from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("", views.feedback_list, name="list"),
    path("new/<str:kind>/", views.feedback_create_view, name="create"),
    path("track/", views.feedback_track, name="track"),
    path("<str:number>/", views.feedback_detail, name="detail"),
    path("<str:number>/answer/", views.feedback_answer_view, name="answer"),
    path("<str:number>/close/", views.feedback_close_view, name="close"),
]
