"""Telling a person what was wrong with what they sent: a service's error messages, as messages at the top
of the next page or beside the fields of a form."""

from django import forms
from django.contrib import messages


def flash_errors(request, errors: dict) -> None:
    """Each message of `errors` ({field: [messages]}) at the top of the next page."""
    for field_messages in errors.values():
        for message in field_messages:
            messages.error(request, message)


def form_errors(form: forms.Form, errors: dict) -> None:
    """Each message beside its field, or above the form when the form has no such field."""
    for field, field_messages in errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, str(message))
