from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "rapport.directory"
    label = "directory"
    verbose_name = _("People")

    def ready(self) -> None:
        from rapport.core.extensions import DemoGenerator, demo_generators

        from . import demo, signals  # noqa: F401

        demo_generators.register("people", DemoGenerator(generate=demo.generate), order=0)
