from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "karnameh.jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # Every app's ``jobs`` module registers its kinds (karnameh.jobs.registry.job_kind);
        # both the web process and the worker need them before the first job is started or run.
        autodiscover_modules("jobs")
