from django.urls import path

from . import views, views_account, views_tokens

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code_view, name="login-code"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views_account.password_change_view, name="password-change"),
    path("two-step/", views_account.two_step_view, name="two-step"),
    path("two-step/start/", views_account.two_step_start_view, name="two-step-start"),
    path("two-step/confirm/", views_account.two_step_confirm_view, name="two-step-confirm"),
    path("two-step/disable/", views_account.two_step_disable_view, name="two-step-disable"),
    path("tokens/", views_tokens.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views_tokens.token_revoke_view, name="token-revoke"),
]
