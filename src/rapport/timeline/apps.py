from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimelineConfig(AppConfig):
    name = "rapport.timeline"
    label = "timeline"
    verbose_name = _("Timeline")

    def ready(self) -> None:
        from . import registrations

        registrations.register_all()
