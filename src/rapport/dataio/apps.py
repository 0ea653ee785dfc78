from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataioConfig(AppConfig):
    name = "rapport.dataio"
    label = "dataio"
    verbose_name = _("Data import and export")

    def ready(self) -> None:
        from rapport.core.extensions import StalledJobCheck, stalled_job_checks

        from .jobs import give_up_stalled

        stalled_job_checks.register("imports and exports", StalledJobCheck(give_up_stalled))
