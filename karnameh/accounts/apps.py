from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "karnameh.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .sessions import on_login

        # Bookkeeping, not business logic: Django sends this from every way of signing in.
        user_logged_in.connect(on_login, dispatch_uid="karnameh.accounts.sessions.on_login")
