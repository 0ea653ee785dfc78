from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "rapport.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from rapport.core.extensions import NavEntry, navigation

        navigation.register("recycle", NavEntry(_("Recycle bin"), "recycle_bin"), order=900)
