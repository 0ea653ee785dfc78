from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    NONE = "none", _("none")
    OWN = "own", _("own records")
    TEAM = "team", _("team's records")
    ALL = "all", _("all records")
