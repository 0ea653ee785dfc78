"""The HTML pages every record type gets — list, detail, create, edit, delete, merge, saved views and
bulk actions — declared once per type with `RecordPages`, routed with `views.record_urls`."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from rapport.core.registry import Registry
from rapport.core.urls import fixed_url, url_with_pk

from .listings import RecordList
from .operations import RecordOperations
from .registry import RecordType, record_type

DEFAULT_DETAIL_TEMPLATE = "records/record_detail.html"  # shows the form's fields as facts


def _no_extra_context(actor, record) -> dict:
    return {}


def _created(record) -> str:
    return _("%(record)s is created.") % {"record": record}


def _its_page(record) -> str:
    return record.get_absolute_url()


@dataclass(frozen=True)
class RecordPages:
    """What differs between the record types' pages; the views are the same."""

    record_type_key: str  # a registered RecordType
    nav: str  # the menu entry lit on these pages, and the export/import entity: "accounts"
    url_namespace: str  # the module's URL namespace: "customers"
    url_prefix: str  # URL names are <namespace>:<prefix>_<action>: "account"
    new_label: str | Promise  # "New account"
    form_class: type  # a records.forms.RecordForm
    fieldsets: list  # [(title, [field names])]
    list: RecordList
    operations: RecordOperations
    detail_template: str = DEFAULT_DETAIL_TEMPLATE
    detail_context: Callable = _no_extra_context  # (actor, record) -> what the detail template adds
    merge: Callable | None = None  # (actor, keep, other) -> record; no merge page without it
    duplicates: Callable | None = None  # (record) -> possible duplicates offered on the merge page
    initial: Callable = dict  # (query) -> a new record form's initial values from the query string
    bulk_actions: tuple[str, ...] = field(default=("assign_owner", "add_tag", "delete"))
    created_message: Callable = _created  # (record) -> what the user is told after creating it
    after_create: Callable = _its_page  # (record) -> where the user goes next
    after_delete: Callable | None = None  # (record) -> where the user goes next; the list by default

    @property
    def type(self) -> RecordType:
        return record_type(self.record_type_key)

    @property
    def permission(self) -> str:
        return self.type.permission_module

    def url(self, action: str, *args) -> str:
        return reverse(self._url_name(action), args=args)

    def list_urls(self) -> dict[str, str]:
        return {action: fixed_url(self._url_name(action)) for action in ("list", "create", "bulk", "view_save")}

    def detail_url_of(self) -> Callable[[int], str]:
        """Record id → its page, for a list's rows."""
        return url_with_pk(self._url_name("detail"))

    def _url_name(self, action: str) -> str:
        return f"{self.url_namespace}:{self.url_prefix}_{action}"


@dataclass(frozen=True)
class ListLink:
    label: str | Promise
    url: str


# Links other modules add to every record list, given (user, pages, the list's query): its reports, say.
list_links: Registry[Callable[..., list[ListLink]]] = Registry("record list links")
