"""Custom fields of any record type: definitions, validation, form fields, filters, columns and exports.

Each field type is one `FieldKind` in `KINDS`: how a value is cleaned for storage, which form field
edits it, how a list filters it, how an import reads its cell and how an export writes it. A new
field type is one more entry there.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from rapport.core.filters import FilterField
from rapport.core.parsing import complete_url, parse_yes_no
from rapport.core.phones import to_e164
from rapport.core.request_memo import forget, once_per_request
from rapport.core.writers import Money

from .lists import Column
from .models import CustomField, FieldType
from .registry import record_type_of, record_types

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
PREFIX = "cf_"  # of a custom field's name in forms, filters and columns: "cf_<key>"
CHOICE_TYPES = {FieldType.CHOICE, FieldType.MULTI_CHOICE}


def definitions_for(entity: str) -> list[CustomField]:
    """The active custom fields of the record type `entity`, read once per request however many parts ask."""
    definitions = once_per_request(("custom_fields", entity),
                                   lambda: tuple(CustomField.objects.filter(entity=entity, active=True)))
    return list(definitions)


@receiver([post_save, post_delete], sender=CustomField, dispatch_uid="custom_fields_changed")
def _definitions_changed(sender, instance: CustomField, **kwargs) -> None:
    forget(("custom_fields", instance.entity))


def definition_errors(definition: CustomField) -> dict[str, str]:
    """What is wrong with a definition an administrator wrote, by field."""
    errors = {}
    if definition.entity not in record_types:
        keys = ", ".join(key for key, _type in record_types.items())
        errors["entity"] = _("Choose one of: %(types)s.") % {"types": keys}
    if definition.key and not KEY_PATTERN.match(definition.key):
        errors["key"] = _("Start with a lower-case letter; then use lower-case letters, digits and underscores "
                          "(at most 50 characters).")
    if definition.field_type in CHOICE_TYPES:
        choices = definition.choices
        if not isinstance(choices, list) or not all(isinstance(choice, str) and choice.strip() for choice in choices):
            errors["choices"] = _('Enter the options as a list of texts, e.g. ["Gold", "Silver"].')
        elif not choices:
            errors["choices"] = _("A choice field needs at least one option.")
        elif len(set(choices)) != len(choices):
            errors["choices"] = _("Each option may appear only once.")
    elif definition.choices:
        errors["choices"] = _("Only choice fields have options; leave this empty.")
    return errors


# --- the field types ----------------------------------------------------------------------------


def _text(limit: int) -> Callable:
    def clean(definition, value) -> str:
        text = str(value)
        if len(text) > limit:
            raise ValidationError(_("At most %(limit)d characters.") % {"limit": limit})
        return text

    return clean


def _number(definition, value):
    if isinstance(value, bool):
        raise ValidationError(_("Enter a number."))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise ValidationError(_("Enter a number.")) from error
    if not number.is_finite():
        raise ValidationError(_("Enter a number."))
    return int(number) if number == number.to_integral_value() else float(number)


def _money(definition, value) -> str:
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise ValidationError(_("Enter an amount.")) from error
    if not amount.is_finite() or abs(amount) >= Decimal("1e14"):
        raise ValidationError(_("Enter an amount."))
    return str(amount.quantize(Decimal("0.01")))


def _date(definition, value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError as error:
        raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from error


def _choice(definition, value) -> str:
    if str(value) not in definition.choices:
        raise ValidationError(_("Choose one of: %(choices)s.") % {"choices": ", ".join(definition.choices)})
    return str(value)


def _choices(definition, value) -> list[str]:
    values = [str(item) for item in (value if isinstance(value, list | tuple) else [value])]
    if unknown := [item for item in values if item not in definition.choices]:
        raise ValidationError(_("Not an option: %(values)s.") % {"values": ", ".join(unknown)})
    return values


def _yes_no(definition, value) -> bool:
    answer = parse_yes_no(value)
    if answer is None:
        raise ValidationError(_("Enter yes or no."))
    return answer


def _url(definition, value) -> str:
    url = complete_url(str(value))
    URLValidator(message=_("Enter a valid URL."))(url)
    return url


def _email(definition, value) -> str:
    EmailValidator(message=_("Enter a valid email address."))(str(value))
    return str(value).strip()


def _phone(definition, value) -> str:
    """Stored in E.164, like every other phone, so screen pop and duplicate checks match any spelling."""
    if (number := to_e164(str(value))) is None:
        raise ValidationError(_("Enter a valid phone number, e.g. +86 138 0013 8000."))
    return number


def _stored(raw, record):
    return raw


def _as_money(raw, record):
    return Money(Decimal(str(raw)), getattr(record, "currency", settings.DEFAULT_CURRENCY))


def _as_number(raw, record):
    return Decimal(raw) if isinstance(raw, str) else raw


def _as_date(raw, record):
    return datetime.date.fromisoformat(str(raw))


def _text_field(common: dict) -> forms.Field:
    return forms.CharField(max_length=255, **common)


def _choice_field(definition, common: dict) -> forms.Field:
    return forms.ChoiceField(choices=[("", "—"), *[(choice, choice) for choice in definition.choices]], **common)


def _choices_field(definition, common: dict) -> forms.Field:
    return forms.MultipleChoiceField(choices=[(choice, choice) for choice in definition.choices],
                                     widget=forms.CheckboxSelectMultiple, **common)


@dataclass(frozen=True)
class FieldKind:
    clean: Callable  # (definition, value) -> the stored (JSON) value, or ValidationError for the user
    form_field: Callable  # (definition, common keyword arguments) -> a form field
    filter_kind: str = "text"  # a kind of core.filters.OPERATORS
    cell: str = "text"  # how an import reads its cell (a kind of dataio.imports)
    export: Callable = _stored  # (stored value, record) -> the value an exported file holds


KINDS: dict[str, FieldKind] = {
    FieldType.TEXT: FieldKind(_text(255), lambda d, common: _text_field(common)),
    FieldType.LONG_TEXT: FieldKind(_text(10000), lambda d, common: forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), **common)),
    FieldType.NUMBER: FieldKind(_number, lambda d, common: forms.DecimalField(**common), "number", "decimal",
                                _as_number),
    FieldType.MONEY: FieldKind(_money, lambda d, common: forms.DecimalField(**common), "number", "decimal",
                               _as_money),
    FieldType.DATE: FieldKind(_date, lambda d, common: forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), **common), "date", "date", _as_date),
    FieldType.CHOICE: FieldKind(_choice, _choice_field, "choice"),
    FieldType.MULTI_CHOICE: FieldKind(_choices, _choices_field, "choice", "list"),
    FieldType.YES_NO: FieldKind(_yes_no, lambda d, common: forms.BooleanField(**{**common, "required": False}),
                                "bool", "bool"),
    FieldType.URL: FieldKind(_url, lambda d, common: forms.URLField(assume_scheme="https", **common)),
    FieldType.EMAIL: FieldKind(_email, lambda d, common: forms.EmailField(**common)),
    FieldType.PHONE: FieldKind(_phone, lambda d, common: _text_field(common)),
}


def kind_of(definition: CustomField) -> FieldKind:
    return KINDS[definition.field_type]


# --- values -------------------------------------------------------------------------------------


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
            values[key] = kind_of(definition).clean(definition, value)
        except ValidationError as error:
            errors[f"custom.{key}"] = list(error.messages)
    for key, definition in definitions.items():
        if definition.required and is_blank(values.get(key)) and f"custom.{key}" not in errors:
            errors[f"custom.{key}"] = [_("This field is required.")]
    return values, errors


def apply_custom_values(record, data: dict, errors: dict, definitions: list[CustomField] | None = None) -> None:
    """Set the custom values `data` sends (all of them on a new record, so required ones are checked) on
    `record` of a registered type; what is wrong goes into `errors` as "custom.<key>"."""
    if "custom" in data or not record.pk:
        entity = record_type_of(type(record)).key
        record.custom, custom_errors = clean_custom_values(entity, data.get("custom") or {}, record.custom,
                                                           definitions=definitions)
        errors.update(custom_errors)


def export_value(definition: CustomField) -> Callable:
    """record -> the value of this field an exported file holds (a date, an amount with its currency…)."""
    convert, key = kind_of(definition).export, definition.key

    def value(record):
        raw = record.custom.get(key)
        if is_blank(raw):
            return None
        try:
            return convert(raw, record)
        except (InvalidOperation, ValueError):
            return str(raw)  # a value stored before the field's type changed: shown as it is

    return value


# --- lists and forms ----------------------------------------------------------------------------


def filter_fields(entity: str) -> list[FilterField]:
    """A list filter for each active custom field of `entity`: `cf_<key>=value`."""
    fields = []
    for definition in definitions_for(entity):
        kind = kind_of(definition).filter_kind
        lookup = f"custom__{definition.key}"
        if definition.field_type == FieldType.MULTI_CHOICE:
            lookup += "__array_has"
        fields.append(FilterField(
            name=f"{PREFIX}{definition.key}", label=definition.label, kind=kind, lookup=lookup,
            choices=tuple((choice, choice) for choice in definition.choices),
            parse=None if kind == "choice" else (lambda raw, d=definition: kind_of(d).clean(d, raw)),
        ))
    return fields


def columns(entity: str) -> list[Column]:
    return [
        Column(f"{PREFIX}{d.key}", d.label, lambda record, key=d.key: record.custom.get(key, ""), loads=("custom",))
        for d in definitions_for(entity)
    ]


def form_field(definition: CustomField) -> forms.Field:
    common = {"label": definition.label, "required": definition.required, "help_text": definition.help_text}
    return kind_of(definition).form_field(definition, common)
