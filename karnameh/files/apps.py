from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "karnameh.files"
    verbose_name = _("Stored files")

    def ready(self) -> None:
        from .names import keep_zwnj_in_browser_names

        keep_zwnj_in_browser_names()
