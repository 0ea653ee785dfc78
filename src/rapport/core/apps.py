from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "rapport.core"
    label = "core"

    def ready(self) -> None:
        from . import lookups  # noqa: F401 - registers the array_has lookup
        from .extensions import NavEntry, navigation

        navigation.register("home", NavEntry(_("Home"), "home"), order=0)
        navigation.register("admin", NavEntry(_("Administration"), "admin:index", visible=lambda user: user.is_staff),
                            order=1000)
