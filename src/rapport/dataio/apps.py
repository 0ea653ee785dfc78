from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataioConfig(AppConfig):
    name = "rapport.dataio"
    label = "dataio"
    verbose_name = _("Data import and export")

    def ready(self) -> None:
        from rapport.core.extensions import StalledJobCheck, stalled_job_checks

        from .exports import give_up_stalled_exports
        from .import_jobs import give_up_stalled_imports

        stalled_job_checks.register("imports", StalledJobCheck(give_up_stalled_imports))
        stalled_job_checks.register("exports", StalledJobCheck(give_up_stalled_exports))
