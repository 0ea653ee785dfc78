from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "rapport.insights"
    label = "insights"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from . import registrations

        registrations.register_all()
