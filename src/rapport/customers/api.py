"""API: accounts and contacts — schema -> service or selector -> schema.

Lists take the same query string as the HTML lists: `field=value`, `field__op=value`, `q=`, `sort=`.
One record's responses carry `ETag: "<version>"`; a PATCH with `If-Match: "<version>"` is refused
with 412 when someone changed the record since. A PATCH without If-Match edits the current version.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from rapport.core.api_input import service_data
from rapport.core.errors import NotFound
from rapport.core.etags import IfMatchHeader, etag_of, version_from
from rapport.core.idempotency import IdempotencyKeyHeader, idempotent
from rapport.core.ids import RecordId
from rapport.core.pagination import paginate
from rapport.core.schemas import CursorPage, CursorParam, PageSizeParam, answers
from rapport.directory.models import Team, User

from .filters import parse_account_filters, parse_contact_filters
from .schemas import AccountIn, AccountOut, AccountPatch, ContactIn, ContactOut, ContactPatch
from .selectors import account_get, account_list, contact_get, contact_list
from .services import account_create, account_delete, account_update, contact_create, contact_delete, contact_update

router = Router()

LIST_DESCRIPTION = (
    "Filter with `field=value` or `field__op=value` (ops: contains, startswith, gte, lte, empty), "
    "custom fields as `cf_<key>`, free text with `q=`; sort with `sort=field` or `sort=-field`. "
    "An unknown filter or sort is refused with 422 naming it."
)


def user_by_id(actor, user_id: int) -> User:
    if user := User.objects.filter(pk=user_id).first():
        return user
    raise ValidationError(_("There is no user with this id."))


def team_by_id(actor, team_id: int) -> Team:
    if team := Team.objects.filter(pk=team_id).first():
        return team
    raise ValidationError(_("There is no team with this id."))


def visible_account_by_id(actor, account_id: int):
    try:
        return account_get(actor=actor, account_id=account_id)
    except NotFound:
        raise ValidationError(_("There is no account with this id that you can see.")) from None


def visible_contact_by_id(actor, contact_id: int):
    try:
        return contact_get(actor=actor, contact_id=contact_id)
    except NotFound:
        raise ValidationError(_("There is no contact with this id that you can see.")) from None


ACCOUNT_RELATIONS = {"owner": user_by_id, "team": team_by_id, "parent": visible_account_by_id}
CONTACT_RELATIONS = {"owner": user_by_id, "team": team_by_id, "account": visible_account_by_id}


@dataclass(frozen=True)
class RecordEndpoints:
    """What differs between the account and the contact endpoints; the routes are the same."""

    plural: str
    singular: str
    schema_in: type
    schema_patch: type
    schema_out: type
    relations: dict
    parse_filters: Callable
    select: Callable  # (actor, filters) -> QuerySet
    get: Callable  # (actor, id) -> record
    create: Callable  # (actor, data, allow_duplicates) -> record
    update: Callable  # (actor, record, data, version) -> record
    delete: Callable  # (actor, record) -> record


def add_record_routes(endpoints: RecordEndpoints) -> None:
    plural, singular, tags = endpoints.plural, endpoints.singular, [endpoints.plural]
    schema_in, schema_patch, schema_out = endpoints.schema_in, endpoints.schema_patch, endpoints.schema_out

    @router.get(f"/{plural}", response=answers({200: CursorPage[schema_out]}, 400), tags=tags,
                description=LIST_DESCRIPTION, operation_id=f"list_{plural}")
    def list_records(request, cursor: CursorParam = None, page_size: PageSizeParam = 50):
        filters = endpoints.parse_filters(request.GET)
        records = endpoints.select(request.auth, filters)
        return paginate(records, filters.ordering, cursor=cursor, per_page=page_size)

    @router.post(f"/{plural}", response=answers({201: schema_out}, 400, 403, 409), tags=tags,
                 operation_id=f"create_{singular}")
    def create_record(request, body: schema_in, idempotency_key: IdempotencyKeyHeader = None):
        """Send an `Idempotency-Key` header to make retries safe: a repeat returns the first result."""

        def create():
            data = service_data(request.auth, body, endpoints.relations)
            return schema_out.model_validate(endpoints.create(request.auth, data, body.allow_duplicates))

        return idempotent(request, idempotency_key, status=201, produce=create)

    @router.get(f"/{plural}/{{int:record_id}}", response=answers({200: schema_out}, 404), tags=tags,
                operation_id=f"get_{singular}")
    def get_record(request, record_id: RecordId, response: HttpResponse):
        record = endpoints.get(request.auth, record_id)
        response["ETag"] = etag_of(record)
        return record

    @router.patch(f"/{plural}/{{int:record_id}}", response=answers({200: schema_out}, 400, 403, 404,
                                                                   412), tags=tags, operation_id=f"update_{singular}")
    def update_record(request, record_id: RecordId, body: schema_patch, response: HttpResponse,
                      if_match: IfMatchHeader = None):
        """Change the fields sent: `tags` replaces all tags, `custom` only the keys sent. Answers with the new ETag."""
        record = endpoints.get(request.auth, record_id)
        data = service_data(request.auth, body, endpoints.relations)
        record = endpoints.update(request.auth, record, data, version_from(if_match, record))
        response["ETag"] = etag_of(record)
        return record

    @router.delete(f"/{plural}/{{int:record_id}}", response=answers({204: None}, 403, 404), tags=tags,
                   operation_id=f"delete_{singular}")
    def delete_record(request, record_id: RecordId):
        """Moves the record to the recycle bin, from where it can be restored."""
        endpoints.delete(request.auth, endpoints.get(request.auth, record_id))
        return Status(204, None)


add_record_routes(RecordEndpoints(
    plural="accounts", singular="account", schema_in=AccountIn, schema_patch=AccountPatch, schema_out=AccountOut,
    relations=ACCOUNT_RELATIONS, parse_filters=parse_account_filters,
    select=lambda actor, filters: account_list(actor=actor, filters=filters),
    get=lambda actor, pk: account_get(actor=actor, account_id=pk),
    create=lambda actor, data, allow: account_create(actor=actor, data=data, allow_duplicates=allow),
    update=lambda actor, record, data, version: account_update(actor=actor, account=record, data=data,
                                                               version=version),
    delete=lambda actor, record: account_delete(actor=actor, account=record),
))
add_record_routes(RecordEndpoints(
    plural="contacts", singular="contact", schema_in=ContactIn, schema_patch=ContactPatch, schema_out=ContactOut,
    relations=CONTACT_RELATIONS, parse_filters=parse_contact_filters,
    select=lambda actor, filters: contact_list(actor=actor, filters=filters),
    get=lambda actor, pk: contact_get(actor=actor, contact_id=pk),
    create=lambda actor, data, allow: contact_create(actor=actor, data=data, allow_duplicates=allow),
    update=lambda actor, record, data, version: contact_update(actor=actor, contact=record, data=data,
                                                               version=version),
    delete=lambda actor, record: contact_delete(actor=actor, contact=record),
))
