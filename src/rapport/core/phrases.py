"""Words stored to be read later, in the reader's language: a timeline line or a notification written by a
Chinese-speaking colleague reads in English to an English reader.

What is stored is JSON: plain text (a subject someone typed) stays as it is; generated words are kept
as their English template — marked with `gettext_noop`, so it is in the translation catalogue — and
their parameters, and are put together when shown:

    phrase(gettext_noop("%(person)s commented on %(record)s"), person="王芳", record="Acme")
    field_name(Account, "lifecycle_stage")        a field's label
    choice_label(Account, "lifecycle_stage", "customer")
    moment(task.due_at)                           a date and time, in the reader's format
    ["Discussed prices", phrase(...)]             lines
    joined([phrase(...), phrase(...)], "; ")      parts on one line
"""

from datetime import datetime

from django.apps import apps
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext


def phrase(template: str, **params) -> dict:
    return {"phrase": template, "params": params}


def field_name(model, field: str) -> dict:
    return {"field": f"{model._meta.label}.{field}"}


def choice_label(model, field: str, value) -> dict:
    return {"choice": f"{model._meta.label}.{field}", "value": value}


def moment(when: datetime) -> dict:
    return {"at": when.isoformat()}


def joined(parts: list, separator: str) -> dict:
    return {"parts": parts, "separator": separator}


def render(words) -> str:
    """The stored words as text in the active language."""
    if words is None:
        return ""
    if isinstance(words, list):
        return "\n".join(text for part in words if (text := render(part)))
    if not isinstance(words, dict):
        return str(words)
    if "phrase" in words:
        return gettext(words["phrase"]) % {name: render(value) for name, value in words["params"].items()}
    if "field" in words:
        return str(_field(words["field"]).verbose_name)
    if "choice" in words:
        labels = dict(_field(words["choice"]).flatchoices)
        return str(labels.get(words["value"], words["value"]))
    if "parts" in words:
        return words["separator"].join(render(part) for part in words["parts"])
    if "at" in words:
        return date_format(timezone.localtime(datetime.fromisoformat(words["at"])), "SHORT_DATETIME_FORMAT")
    raise ValueError(f"Unknown stored words: {words!r}")


def _field(path: str):
    app_label, model_name, field = path.split(".")
    return apps.get_model(app_label, model_name)._meta.get_field(field)
