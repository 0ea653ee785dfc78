from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "rapport.mail"
    label = "mail"
    verbose_name = _("Email")

    def ready(self) -> None:
        from . import registrations

        registrations.register_all()
