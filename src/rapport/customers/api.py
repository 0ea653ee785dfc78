"""API: accounts, contacts and custom field definitions — schema -> service or selector -> schema.

Lists take the same query string as the HTML lists: `field=value`, `field__op=value`, `q=`, `sort=`.
One record's responses carry `ETag: "<version>"`; a PATCH with `If-Match: "<version>"` is refused
with 412 when someone changed the record since. A PATCH without If-Match edits the current version.
"""

import re
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status
from pydantic import BaseModel

from rapport.core.errors import InvalidInput, NotFound, Refused
from rapport.core.idempotency import IdempotencyKeyHeader, idempotent
from rapport.core.pagination import paginate
from rapport.directory.models import Team, User
from rapport.directory.schemas import CursorPage

from .custom_fields import definitions_for
from .filters import parse_account_filters, parse_contact_filters
from .models import CustomField
from .schemas import AccountIn, AccountOut, AccountPatch, ContactIn, ContactOut, ContactPatch, CustomFieldOut
from .selectors import account_get, account_list, contact_get, contact_list
from .services import account_create, account_delete, account_update, contact_create, contact_delete, contact_update

router = Router()

LIST_DESCRIPTION = (
    "Filter with `field=value` or `field__op=value` (ops: contains, startswith, gte, lte, empty), "
    "custom fields as `cf_<key>`, free text with `q=`; sort with `sort=field` or `sort=-field`. "
    "An unknown filter or sort is refused with 422 naming it."
)
STRONG_ETAG = re.compile(r'"(\d+)"')
IfMatchHeader = Annotated[str | None, Header(
    alias="If-Match",
    description='The ETag of the version you edited, e.g. "3"; if the record changed since, the answer is 412. '
                "Without it, the current version is edited.",
)]


def _user(actor, user_id: int) -> User:
    if user := User.objects.filter(pk=user_id).first():
        return user
    raise ValidationError(_("There is no user with this id."))


def _team(actor, team_id: int) -> Team:
    if team := Team.objects.filter(pk=team_id).first():
        return team
    raise ValidationError(_("There is no team with this id."))


def _account(actor, account_id: int):
    try:
        return account_get(actor=actor, account_id=account_id)
    except NotFound:
        raise ValidationError(_("There is no account with this id that you can see.")) from None


ACCOUNT_RELATIONS = {"owner": _user, "team": _team, "parent": _account}
CONTACT_RELATIONS = {"owner": _user, "team": _team, "account": _account}


def _service_data(actor, body: BaseModel, relations: dict) -> dict:
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


def _etag(record) -> str:
    return f'"{record.version}"'


def _version_from(if_match: str | None, record) -> int:
    header = (if_match or "*").strip()
    if header == "*":
        return record.version
    if match := STRONG_ETAG.fullmatch(header):
        return int(match[1])
    message = _('Send If-Match with the ETag of the version you edited, e.g. "3".')
    raise Refused(message, fields={"If-Match": [message]})


# --- accounts ---------------------------------------------------------------------------------


@router.get("/accounts", response=CursorPage[AccountOut], tags=["accounts"], description=LIST_DESCRIPTION)
def list_accounts(request, cursor: str | None = None, page_size: int = Query(50, ge=1, le=200)):
    filters = parse_account_filters(request.GET)
    accounts = account_list(actor=request.auth, filters=filters)
    return paginate(accounts, filters.ordering, cursor=cursor, per_page=page_size)


@router.post("/accounts", response={201: AccountOut}, tags=["accounts"])
def create_account(request, body: AccountIn, idempotency_key: IdempotencyKeyHeader = None):
    """Send an `Idempotency-Key` header to make retries safe: a repeat returns the first result."""

    def create() -> AccountOut:
        data = _service_data(request.auth, body, ACCOUNT_RELATIONS)
        return AccountOut.model_validate(account_create(actor=request.auth, data=data,
                                                   allow_duplicates=body.allow_duplicates))

    return idempotent(request, idempotency_key, status=201, produce=create)


@router.get("/accounts/{account_id}", response=AccountOut, tags=["accounts"])
def get_account(request, account_id: int, response: HttpResponse):
    account = account_get(actor=request.auth, account_id=account_id)
    response["ETag"] = _etag(account)
    return account


@router.patch("/accounts/{account_id}", response=AccountOut, tags=["accounts"])
def update_account(request, account_id: int, body: AccountPatch, response: HttpResponse,
                   if_match: IfMatchHeader = None):
    """Change the fields sent: `tags` replaces all tags, `custom` only the keys sent. Answers with the new ETag."""
    account = account_get(actor=request.auth, account_id=account_id)
    account = account_update(actor=request.auth, account=account, version=_version_from(if_match, account),
                             data=_service_data(request.auth, body, ACCOUNT_RELATIONS))
    response["ETag"] = _etag(account)
    return account


@router.delete("/accounts/{account_id}", response={204: None}, tags=["accounts"])
def delete_account(request, account_id: int):
    """Moves the account to the recycle bin, from where it can be restored."""
    account_delete(actor=request.auth, account=account_get(actor=request.auth, account_id=account_id))
    return Status(204, None)


# --- contacts ---------------------------------------------------------------------------------


@router.get("/contacts", response=CursorPage[ContactOut], tags=["contacts"], description=LIST_DESCRIPTION)
def list_contacts(request, cursor: str | None = None, page_size: int = Query(50, ge=1, le=200)):
    filters = parse_contact_filters(request.GET)
    contacts = contact_list(actor=request.auth, filters=filters)
    return paginate(contacts, filters.ordering, cursor=cursor, per_page=page_size)


@router.post("/contacts", response={201: ContactOut}, tags=["contacts"])
def create_contact(request, body: ContactIn, idempotency_key: IdempotencyKeyHeader = None):
    """Send an `Idempotency-Key` header to make retries safe: a repeat returns the first result."""

    def create() -> ContactOut:
        data = _service_data(request.auth, body, CONTACT_RELATIONS)
        return ContactOut.model_validate(contact_create(actor=request.auth, data=data,
                                                   allow_duplicates=body.allow_duplicates))

    return idempotent(request, idempotency_key, status=201, produce=create)


@router.get("/contacts/{contact_id}", response=ContactOut, tags=["contacts"])
def get_contact(request, contact_id: int, response: HttpResponse):
    contact = contact_get(actor=request.auth, contact_id=contact_id)
    response["ETag"] = _etag(contact)
    return contact


@router.patch("/contacts/{contact_id}", response=ContactOut, tags=["contacts"])
def update_contact(request, contact_id: int, body: ContactPatch, response: HttpResponse,
                   if_match: IfMatchHeader = None):
    """Change the fields sent: `tags` replaces all tags, `custom` only the keys sent. Answers with the new ETag."""
    contact = contact_get(actor=request.auth, contact_id=contact_id)
    contact = contact_update(actor=request.auth, contact=contact, version=_version_from(if_match, contact),
                             data=_service_data(request.auth, body, CONTACT_RELATIONS))
    response["ETag"] = _etag(contact)
    return contact


@router.delete("/contacts/{contact_id}", response={204: None}, tags=["contacts"])
def delete_contact(request, contact_id: int):
    """Moves the contact to the recycle bin, from where it can be restored."""
    contact_delete(actor=request.auth, contact=contact_get(actor=request.auth, contact_id=contact_id))
    return Status(204, None)


# --- custom fields ----------------------------------------------------------------------------


@router.get("/custom-fields", response=list[CustomFieldOut], tags=["custom fields"])
def list_custom_fields(request, entity: CustomField.Entity | None = None):
    """The active custom fields of accounts and contacts; their values are under `custom` by `key`."""
    entities = [entity] if entity else CustomField.Entity.values
    return [definition for name in entities for definition in definitions_for(name)]
