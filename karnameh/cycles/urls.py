from django.urls import path

from . import views, views_edit

app_name = "cycles"
urlpatterns = [
    path("", views.cycle_list, name="list"),
    path("new/", views.cycle_create_view, name="create"),
    path("<int:pk>/", views.cycle_detail, name="detail"),
    path("<int:pk>/edit/", views.cycle_edit, name="edit"),
    path("<int:pk>/publish/", views.cycle_publish_view, name="publish"),
    path("<int:pk>/circular/", views.circular_download, name="circular"),
    path("<int:pk>/circular/upload/", views.circular_upload, name="circular-upload"),
    path("<int:pk>/calendar/", views_edit.calendar_edit, name="calendar"),
    path("<int:pk>/steps/<int:number>/<str:what>/", views.step_mark, name="step-mark"),
    path("<int:pk>/participants/", views_edit.participants_edit, name="participants"),
    path("<int:pk>/weights/", views_edit.weights_index, name="weights"),
    path("<int:pk>/weights/<str:type_code>/", views_edit.weights_edit, name="weights-edit"),
    path("<int:pk>/workshops/new/", views_edit.workshop_edit, name="workshop-create"),
    path("<int:pk>/workshops/<int:workshop>/", views_edit.workshop_detail, name="workshop"),
    path("<int:pk>/workshops/<int:workshop>/edit/", views_edit.workshop_edit, name="workshop-edit"),
    path(
        "<int:pk>/workshops/<int:workshop>/files/<int:file>/",
        views.material_download,
        name="material",
    ),
]
