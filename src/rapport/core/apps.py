from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rapport.core"
    label = "core"

    def ready(self) -> None:
        from . import lookups  # noqa: F401 - registers the array_has lookup
