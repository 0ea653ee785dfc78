"""The rules of a model's fields, stated in the API document, so that what the document allows the services
accept. The services still check every rule (with the same messages as the forms and imports); this only
tells clients, and the fuzzing gate, what those rules are.

A rule no schema can state — an id naming a record you can see, a phone number of a known numbering plan, a
custom field the administrator defined — is named on its property as `x-server-rule`: a request the document
allows may be refused with 422 for such a property, and for no other.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.encoding import force_str

SERVER_RULE = "x-server-rule"
PHONE_RULE = "A phone number in any spelling that a known numbering plan accepts, e.g. +86 138 0013 8000."
CUSTOM_DESCRIPTION = "Custom field values by key; see /custom-fields. Send null or \"\" to clear one."
CUSTOM_RULE = "Keys of the active custom fields (see /custom-fields); each value as its field's type requires."
NOT_BLANK = r"\S"  # at least one character that is not white space
MAX_POSITIVE_INTEGER = 2**31 - 1  # what every database stores in a PositiveIntegerField


def model_rules(model: type[models.Model], server_rules: dict[str, str] | None = None):
    """A pydantic `json_schema_extra` for an input schema whose properties are `model`'s fields."""
    server_rules = server_rules or {}

    def add_rules(schema: dict, _cls) -> None:
        for name, prop in schema.get("properties", {}).items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            if name in server_rules:
                prop[SERVER_RULE] = server_rules[name]
            if field is not None:
                _state_rules(field, prop)

    return add_rules


def _state_rules(field: models.Field, prop: dict) -> None:
    if field.is_relation:
        if _holds_ids(prop):
            prop[SERVER_RULE] = f"The id of an existing {force_str(field.related_model._meta.verbose_name)}" \
                                "; for customers, one you may see."
    elif isinstance(field, models.DecimalField):
        prop[SERVER_RULE] = f"At most {field.max_digits - field.decimal_places} digits before the decimal " \
                            f"point and {field.decimal_places} after."
    else:
        _state_field_rules(field, _value_schema(prop))
        if not field.blank:
            prop.pop("default", None)  # a patch leaves it out; it is never blank


def _value_schema(prop: dict) -> dict:
    """The part of a property's schema that describes a present value (not the `null` of an optional one)."""
    for option in prop.get("anyOf", ()):
        if option.get("type") != "null":
            return option
    return prop


def _holds_ids(prop: dict) -> bool:
    value = _value_schema(prop)
    return value.get("type") == "integer" or value.get("items", {}).get("type") == "integer"


def _state_field_rules(field: models.Field, schema: dict) -> None:
    kind = schema.get("type")
    if kind == "string":
        if field.choices:
            schema["enum"] = [value for value, _label in field.flatchoices if value != "" or field.blank]
            if field.blank and "" not in schema["enum"]:
                schema["enum"].append("")
            return
        if field.max_length:
            schema["maxLength"] = field.max_length
        if not field.blank:
            schema.update(minLength=1, pattern=NOT_BLANK)
        if isinstance(field, models.EmailField):
            schema["anyOf"] = [{"format": "email"}, {"const": ""}] if field.blank else [{"format": "email"}]
    elif kind == "integer" and isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField):
        schema.setdefault("minimum", 0)
        schema["maximum"] = min(schema.get("maximum", MAX_POSITIVE_INTEGER), MAX_POSITIVE_INTEGER)
