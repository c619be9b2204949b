from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "karnameh.cycles"
    verbose_name = _("Evaluation cycles")
