from django.urls import path

from . import views
from . import views_review as review

app_name = "evaluations"
REVIEW = "<int:cycle>/review/<int:pk>/"
urlpatterns = [
    path("<int:cycle>/", views.board_view, name="board"),
    path("<int:cycle>/add/", views.add_view, name="add"),
    path("<int:cycle>/remove/<int:pk>/", views.remove_view, name="remove"),
    path("<int:cycle>/suggest/", views.suggest_view, name="suggest"),
    path("<int:cycle>/suggest/apply/", views.apply_view, name="apply"),
    path("<int:cycle>/conflict/", views.conflict_view, name="conflict"),
    path(
        "<int:cycle>/conflict/<int:pk>/withdraw/",
        views.conflict_withdraw_view,
        name="conflict-withdraw",
    ),
    path("<int:cycle>/queue/", views.queue_view, name="queue"),
    # One evaluator's part of one agency (an assignment): its gauges, approval, return.
    path(REVIEW, review.review_page, name="review"),
    # Before the gauge's pattern: «approve» and «return» are not gauge codes.
    path(f"{REVIEW}approve/", review.approve_view, name="approve"),
    path(f"{REVIEW}return/", review.return_view, name="return"),
    path(f"{REVIEW}<str:gauge>/", review.gauge_page, name="review-gauge"),
    path(f"{REVIEW}<str:gauge>/score/", review.gauge_score, name="review-score"),
    path(f"{REVIEW}<str:gauge>/consensus/", review.consensus_view, name="consensus"),
    # The agency's provisional scores.
    path("<int:cycle>/<str:agency>/scores/", review.scores_page, name="scores"),
]
