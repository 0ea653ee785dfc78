"""The API routes every record type gets: list, create, get, update and delete, the same for all.

Lists take the same query string as the HTML lists: `field=value`, `field__op=value`, `q=`, `sort=`.
One record's responses carry `ETag: "<version>"`; a PATCH with `If-Match: "<version>"` is refused
with 412 when someone changed the record since. A PATCH without If-Match edits the current version.
A POST with an `Idempotency-Key` is answered once; a retry replays the first answer.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from rapport import access
from rapport.core.api_input import service_data
from rapport.core.errors import NotFound
from rapport.core.etags import IfMatchHeader, etag_of, version_from
from rapport.core.idempotency import IdempotencyKeyHeader, idempotent
from rapport.core.ids import RecordId
from rapport.core.pagination import paginate
from rapport.core.schemas import CursorPage, CursorParam, PageSizeParam, answers

from .listings import RecordList
from .operations import RecordOperations

LIST_DESCRIPTION = (
    "Filter with `field=value` or `field__op=value` (ops: contains, startswith, gte, lte, empty), "
    "custom fields as `cf_<key>`, free text with `q=`; sort with `sort=field` or `sort=-field`. "
    "An unknown filter or sort is refused with 422 naming it."
)


@dataclass(frozen=True)
class RecordEndpoints:
    """What differs between the record types' endpoints; the routes are the same."""

    plural: str  # the collection's path and tag: "accounts"
    singular: str  # in operation ids: "account"
    schema_in: type
    schema_patch: type
    schema_out: type
    relations: dict  # field -> (actor, id or ids) -> record(s); see `relations_of`
    list: RecordList  # its filters and sorts, as in the HTML list
    operations: RecordOperations


def add_record_routes(router: Router, endpoints: RecordEndpoints) -> None:
    plural, singular, tags = endpoints.plural, endpoints.singular, [endpoints.plural]
    schema_in, schema_patch, schema_out = endpoints.schema_in, endpoints.schema_patch, endpoints.schema_out

    @router.get(f"/{plural}", response=answers({200: CursorPage[schema_out]}, 400), tags=tags,
                description=LIST_DESCRIPTION, operation_id=f"list_{plural}")
    def list_records(request, cursor: CursorParam = None, page_size: PageSizeParam = 50):
        filters = endpoints.list.parse(request.GET)
        records = endpoints.operations.select(request.auth, filters)
        return paginate(records, filters.ordering, cursor=cursor, per_page=page_size)

    @router.post(f"/{plural}", response=answers({201: schema_out}, 400, 403, 409), tags=tags,
                 operation_id=f"create_{singular}")
    def create_record(request, body: schema_in, idempotency_key: IdempotencyKeyHeader = None):
        """Send an `Idempotency-Key` header to make retries safe: a repeat returns the first result."""

        def create():
            data = service_data(request.auth, body, endpoints.relations)
            allow_duplicates = getattr(body, "allow_duplicates", False)
            return schema_out.model_validate(endpoints.operations.create(request.auth, data, allow_duplicates))

        return idempotent(request, idempotency_key, status=201, produce=create)

    @router.get(f"/{plural}/{{int:record_id}}", response=answers({200: schema_out}, 404), tags=tags,
                operation_id=f"get_{singular}")
    def get_record(request, record_id: RecordId, response: HttpResponse):
        record = endpoints.operations.get(request.auth, record_id)
        response["ETag"] = etag_of(record)
        return record

    @router.patch(f"/{plural}/{{int:record_id}}", response=answers({200: schema_out}, 400, 403, 404, 412),
                  tags=tags, operation_id=f"update_{singular}")
    def update_record(request, record_id: RecordId, body: schema_patch, response: HttpResponse,
                      if_match: IfMatchHeader = None):
        """Change the fields sent (`custom`: only the keys sent). Answers with the new ETag."""
        record = endpoints.operations.get(request.auth, record_id)
        data = service_data(request.auth, body, endpoints.relations)
        record = endpoints.operations.update(request.auth, record, data, version_from(if_match, record))
        response["ETag"] = etag_of(record)
        return record

    @router.delete(f"/{plural}/{{int:record_id}}", response=answers({204: None}, 403, 404), tags=tags,
                   operation_id=f"delete_{singular}")
    def delete_record(request, record_id: RecordId):
        """Moves the record to the recycle bin, from where it can be restored."""
        endpoints.operations.delete(request.auth, endpoints.operations.get(request.auth, record_id))
        return Status(204, None)


# --- relations: ids in a body become records ------------------------------------------------------


def relations_of(model, names) -> dict:
    """For each relation field named, how an id (or a list of ids) in a body becomes the record(s): records
    under access control only if the caller may see them, others (people, teams) if they exist."""
    relations = {}
    for name in names:
        field = model._meta.get_field(name)
        find = _finder(field.related_model)
        relations[name] = _many(find) if field.many_to_many else find
    return relations


def _finder(model) -> Callable:
    name = model._meta.verbose_name
    try:
        access.module_for_model(model)
    except LookupError:
        def find(actor, pk):
            if record := model._default_manager.filter(pk=pk).first():
                return record
            raise ValidationError(_("There is no %(record)s with this id.") % {"record": name})
        return find

    def find_visible(actor, pk):
        try:
            return access.get_visible(actor, model.objects.all(), pk)
        except NotFound:
            raise ValidationError(
                _("There is no %(record)s with this id that you can see.") % {"record": name}) from None

    return find_visible


def _many(find: Callable) -> Callable:
    return lambda actor, ids: [find(actor, pk) for pk in dict.fromkeys(ids)]
