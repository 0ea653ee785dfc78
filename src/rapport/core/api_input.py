"""Turning an API body into what a service takes: ids of related records become the records."""

from django.core.exceptions import ValidationError
from pydantic import BaseModel

from .errors import InvalidInput


def service_data(actor, body: BaseModel, relations: dict) -> dict:
    """The fields the client sent, with ids of people, teams and accounts turned into records."""
    data = body.model_dump(exclude_unset=True, exclude={"allow_duplicates"})
    errors = {}
    for field, find in relations.items():
        if data.get(field) is not None:
            try:
                data[field] = find(actor, data[field])
            except ValidationError as error:
                errors[field] = error.messages
    if errors:
        raise InvalidInput(fields=errors)
    return data
