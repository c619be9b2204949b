from django.urls import path

from . import views

app_name = "inquiries"
urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("cycle/<int:cycle>/", views.cycle_view, name="cycle"),
    path("cycle/<int:cycle>/send/", views.send_view, name="send"),
    path("cycle/<int:cycle>/<str:agency>/", views.agency_view, name="agency"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/answer/", views.answer_view, name="answer"),
    path("<int:pk>/letter/", views.letter_view, name="letter"),
    path("<int:pk>/letter/file/", views.letter_file_view, name="letter_file"),
]
