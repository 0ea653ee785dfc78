"""Custom fields: definitions by administrators, values validated here for every entry path."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from rapport.core.phones import to_e164
from rapport.core.request_memo import forget, once_per_request

from .models import CustomField, FieldType

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


def definitions_for(entity: str) -> list[CustomField]:
    """The active custom fields of `entity`, read once per request however many parts ask."""
    definitions = once_per_request(("custom_fields", entity),
                                   lambda: tuple(CustomField.objects.filter(entity=entity, active=True)))
    return list(definitions)


@receiver([post_save, post_delete], sender=CustomField, dispatch_uid="custom_fields_changed")
def _definitions_changed(sender, instance: CustomField, **kwargs) -> None:
    forget(("custom_fields", instance.entity))


def _clean_one(definition: CustomField, value):
    """The stored (JSON) form of one value, or ValidationError with a message for the user."""
    kind = definition.field_type
    if kind in {FieldType.TEXT, FieldType.LONG_TEXT}:
        text = str(value)
        limit = 255 if kind == FieldType.TEXT else 10000
        if len(text) > limit:
            raise ValidationError(_("At most %(limit)d characters.") % {"limit": limit})
        return text
    if kind == FieldType.NUMBER:
        return _as_number(value, _("Enter a number."))
    if kind == FieldType.MONEY:
        return str(_as_decimal(value).quantize(Decimal("0.01")))
    if kind == FieldType.DATE:
        return _as_date(value).isoformat()
    if kind == FieldType.CHOICE:
        if str(value) not in definition.choices:
            raise ValidationError(_("Choose one of: %(choices)s.") % {"choices": ", ".join(definition.choices)})
        return str(value)
    if kind == FieldType.MULTI_CHOICE:
        values = [str(item) for item in (value if isinstance(value, list | tuple) else [value])]
        unknown = [item for item in values if item not in definition.choices]
        if unknown:
            raise ValidationError(_("Not an option: %(values)s.") % {"values": ", ".join(unknown)})
        return values
    if kind == FieldType.YES_NO:
        return _as_bool(value)
    if kind == FieldType.URL:
        URLValidator(message=_("Enter a valid URL."))(str(value))
        return str(value)
    if kind == FieldType.EMAIL:
        EmailValidator(message=_("Enter a valid email address."))(str(value))
        return str(value).strip()
    if kind == FieldType.PHONE:
        if to_e164(str(value)) is None:
            raise ValidationError(_("Enter a valid phone number, e.g. +86 138 0013 8000."))
        return str(value).strip()
    raise ValidationError(_("Unknown field type."))


def _as_number(value, message):
    if isinstance(value, bool):
        raise ValidationError(message)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise ValidationError(message) from error
    if not number.is_finite():
        raise ValidationError(message)
    return int(number) if number == number.to_integral_value() else float(number)


def _as_decimal(value) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise ValidationError(_("Enter an amount.")) from error
    if not amount.is_finite() or abs(amount) >= Decimal("1e14"):
        raise ValidationError(_("Enter an amount."))
    return amount


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError as error:
        raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from error


def _as_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on", "y", "是"}:
        return True
    if text in {"0", "false", "no", "off", "n", "否"}:
        return False
    raise ValidationError(_("Enter yes or no."))


def is_blank(value) -> bool:
    return value is None or value == "" or value == []


def clean_custom_values(entity: str, incoming: dict, current: dict | None = None,
                        definitions: list[CustomField] | None = None) -> tuple[dict, dict]:
    """Merge `incoming` into `current`; return (values, errors) with errors keyed "custom.<key>".

    A caller validating many records passes the active `definitions` once instead of a query each.
    """
    definitions = {definition.key: definition
                   for definition in (definitions if definitions is not None else definitions_for(entity))}
    values, errors = dict(current or {}), {}
    for key, value in incoming.items():
        definition = definitions.get(key)
        if definition is None:
            errors[f"custom.{key}"] = [_("There is no custom field “%(key)s”.") % {"key": key}]
            continue
        if is_blank(value):
            values.pop(key, None)
            continue
        try:
            values[key] = _clean_one(definition, value)
        except ValidationError as error:
            errors[f"custom.{key}"] = list(error.messages)
    for key, definition in definitions.items():
        if definition.required and is_blank(values.get(key)) and f"custom.{key}" not in errors:
            errors[f"custom.{key}"] = [_("This field is required.")]
    return values, errors


def parse_filter_value(definition: CustomField, raw: str):
    """A query-string value in the form stored for this field, or ValidationError."""
    if definition.field_type == FieldType.MULTI_CHOICE:
        return _clean_one(definition, [raw])[0]
    return _clean_one(definition, raw)
