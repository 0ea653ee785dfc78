"""Domain errors raised by services; the HTML views and the API each turn them into a response."""

from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _
from pydantic_core import ValidationError

# What a database that is down, restarting, out of connections or locked raises: worth retrying shortly,
# unlike a query that is wrong (ProgrammingError) or data that breaks a rule (IntegrityError).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def is_database_unavailable(error: BaseException | None) -> bool:
    """Whether `error`, or an error it arose from, says the database cannot be reached."""
    while error is not None:
        if isinstance(error, DATABASE_UNAVAILABLE) or _read_failed_in_schema(error):
            return True
        error = error.__cause__ or error.__context__
    return False


def _read_failed_in_schema(error: BaseException) -> bool:
    # An API schema reading a lazy relation (say an account's tags) gets the database's error wrapped by
    # pydantic, which keeps only its text: "OperationalError: server closed the connection…".
    names = tuple(f"{kind.__name__}:" for kind in DATABASE_UNAVAILABLE)
    return isinstance(error, ValidationError) and any(
        item["type"] == "get_attribute_error" and str(item.get("ctx", {}).get("error", "")).startswith(names)
        for item in error.errors())


class DomainError(Exception):
    """A business rule refused an action; `message` is shown to the user."""

    default_message = _("This action was refused.")

    def __init__(self, message=None, *, fields: dict[str, list[str]] | None = None):
        self.message = message or self.default_message
        self.fields = fields or {}
        super().__init__(str(self.message))


class Refused(DomainError):
    """Input or state does not allow the action (HTTP 400/422)."""


class InvalidInput(Refused):
    """Field-level validation errors: `fields` maps each field to its messages."""

    default_message = _("Please correct the errors below.")


class Conflict(Refused):
    """The record's current state does not allow the action, e.g. completing a closed task (HTTP 409)."""


class InvalidCursor(InvalidInput):
    """A page link that this server did not write: forged, truncated or from another list (HTTP 400)."""

    def __init__(self):
        super().__init__(fields={"cursor": [_("This page link is not valid.")]})


class PermissionDenied(DomainError):
    """The actor may not do this (HTTP 403, or 404 where existence must not leak)."""

    default_message = _("You are not allowed to do this.")


class NotFound(DomainError):
    default_message = _("Not found.")


class StaleEdit(DomainError):
    """The record changed since the editor loaded it (HTTP 412 / a form message)."""

    default_message = _("Someone else changed this record while you were editing it.")

    def __init__(self, obj, changes: list | None = None):
        self.obj = obj
        self.changes = changes or []
        super().__init__()


class DuplicatesFound(DomainError):
    """Possible duplicates exist; the caller must confirm before creating (HTTP 409)."""

    default_message = _("Possible duplicates exist. Review them, then confirm to create anyway.")

    def __init__(self, duplicates: list, hidden_count: int = 0):
        self.duplicates = duplicates  # those the actor may see
        self.hidden_count = hidden_count  # the others: counted, never described
        super().__init__()
