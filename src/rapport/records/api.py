"""API: the custom field definitions of every record type."""

from ninja import Router, Schema
from pydantic_core import core_schema

from rapport.core.schemas import answers

from .custom_fields import definitions_for
from .registry import record_types

router = Router(tags=["custom fields"])


class RecordTypeKey(str):
    """A registered record type's key; the document lists those registered."""

    @classmethod
    def __get_pydantic_core_schema__(cls, _source, _handler):
        return core_schema.no_info_after_validator_function(cls._registered, core_schema.str_schema())

    @classmethod
    def __get_pydantic_json_schema__(cls, _schema, _handler):
        return {"type": "string", "enum": [key for key, _type in record_types.items()]}

    @staticmethod
    def _registered(key: str) -> str:
        if key not in record_types:
            raise ValueError(f"Choose one of: {', '.join(name for name, _type in record_types.items())}.")
        return key


class CustomFieldOut(Schema):
    id: int
    entity: str
    key: str
    label: str
    field_type: str
    choices: list[str]
    required: bool
    help_text: str
    position: int


@router.get("/custom-fields", response=answers({200: list[CustomFieldOut]}), operation_id="list_custom_fields")
def list_custom_fields(request, entity: RecordTypeKey | None = None):
    """The active custom fields of each record type (or of `entity`); a record's values are under `custom` by `key`."""
    keys = [entity] if entity else [key for key, _type in record_types.items()]
    return [definition for key in keys for definition in definitions_for(key)]
