from django.urls import URLPattern, path

from . import province_views, views

app_name = "reports"
urlpatterns: list[URLPattern] = [
    path("<int:cycle>/card/<str:agency>/", views.card_view, name="card"),
    path("<int:cycle>/card/<str:agency>/pdf/", views.card_pdf_view, name="card_pdf"),
    path("<int:cycle>/card/<str:agency>/plan/", views.plan_view, name="plan"),
    # The province report (step 11).
    path("<int:cycle>/province/", province_views.province_view, name="province"),
    path("<int:cycle>/province/pdf/", province_views.province_pdf_view, name="province_pdf"),
]
