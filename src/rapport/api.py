"""The REST API: one NinjaAPI, session (with CSRF) or personal-token auth, domain errors as JSON."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from rapport.core.errors import (
    Conflict,
    DuplicatesFound,
    InvalidCursor,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Refused,
    StaleEdit,
)
from rapport.core.http import after_response
from rapport.core.idempotency import IdempotencyKeyReused
from rapport.directory.models import ApiToken
from rapport.directory.services import token_find, token_record_use, token_use_is_due
from rapport.mail.services import MailServer


class TokenAuth(HttpBearer):
    openapi_description = "A personal API token: `Authorization: Bearer rpt_…`"
    purpose = ApiToken.Purpose.API

    def authenticate(self, request: HttpRequest, token: str):
        found = token_find(token, self.purpose)
        if found is None:
            return None
        if token_use_is_due(found):
            after_response(request, lambda: token_record_use(token_id=found.pk))
        request.user = found.user
        return self.caller(found)

    def caller(self, token: ApiToken):
        return token.user


class MailServerAuth(TokenAuth):
    """A mail server's inbound-mail token: it delivers messages and can do nothing else."""

    openapi_description = "A mail server's inbound-mail token (`rapport token create USER --inbound-mail`)"
    purpose = ApiToken.Purpose.INBOUND_MAIL

    def caller(self, token: ApiToken):
        return MailServer(token.user)


class SessionAuth(APIKeyCookie):
    """The browser's session; unsafe methods need the CSRF token (ninja checks it for cookie auth)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated and user.is_active else None


api = NinjaAPI(
    title="Rapport API", version="1", urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    description="Accounts, contacts and people of Rapport. Every call sees what its user may see.",
)
api.add_router("/", "rapport.customers.api.router")
api.add_router("/", "rapport.records.api.router")
api.add_router("/", "rapport.directory.api.router")
api.add_router("/", "rapport.search.api.router")
api.add_router("/", "rapport.timeline.api.router")
api.add_router("/", "rapport.dataio.api.router")
api.add_router("/", "rapport.mail.api.router", auth=[MailServerAuth(), TokenAuth(), SessionAuth()])


def _error(request, status: int, code: str, message: str, fields: dict | None = None, **extra):
    body = {"error": {"code": code, "message": str(message), "fields": {k: [str(m) for m in v]
                                                                       for k, v in (fields or {}).items()}}}
    body["error"].update(extra)
    return api.create_response(request, body, status=status)


@api.exception_handler(InvalidInput)
def invalid_input(request, error: InvalidInput):
    return _error(request, 422, "invalid", error.message, error.fields)


@api.exception_handler(InvalidCursor)
def invalid_cursor(request, error: InvalidCursor):
    return _error(request, 400, "invalid_cursor", error.message, error.fields)


@api.exception_handler(Conflict)
def conflict(request, error: Conflict):
    return _error(request, 409, "conflict", error.message, error.fields)


@api.exception_handler(DuplicatesFound)
def duplicates_found(request, error: DuplicatesFound):
    duplicates = [{"id": record.pk, "name": str(record)} for record in error.duplicates]
    return _error(request, 409, "possible_duplicates", error.message, duplicates=duplicates,
                  hidden_duplicates=error.hidden_count)


@api.exception_handler(StaleEdit)
def stale_edit(request, error: StaleEdit):
    return _error(request, 412, "stale", error.message, current_version=error.obj.version)


@api.exception_handler(IdempotencyKeyReused)
def idempotency_key_reused(request, error: IdempotencyKeyReused):
    return _error(request, 422, "idempotency_key_reused", error.message)


@api.exception_handler(Refused)
def refused(request, error: Refused):
    return _error(request, 400, "refused", error.message, error.fields)


@api.exception_handler(NotFound)
def not_found(request, error: NotFound):
    return _error(request, 404, "not_found", error.message)


@api.exception_handler(PermissionDenied)
def permission_denied(request, error: PermissionDenied):
    return _error(request, 403, "forbidden", error.message)


_PARAMETER_SOURCES = ("body", "query", "path", "header", "payload")

# The same words the services use for the same mistakes, translated; other messages are pydantic's.
_REQUEST_ERRORS = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("This field cannot be set."),
}


@api.exception_handler(NinjaValidationError)
def request_invalid(request, error: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for item in error.errors:
        location = [str(part) for part in item.get("loc", ()) if part not in _PARAMETER_SOURCES]
        message = _REQUEST_ERRORS.get(item.get("type"), item.get("msg", "invalid"))
        fields.setdefault(".".join(location) or "request", []).append(message)
    return _error(request, 422, "invalid", _("The request is not valid."), fields)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, error):
    return _error(request, 401, "unauthenticated", _("Log in or send a valid API token."))


@api.exception_handler(HttpError)
def http_error(request, error: HttpError):
    return _error(request, error.status_code, "error", str(error))
