"""The filters, sorts and columns of the account and contact lists (HTML and API alike)."""

from collections.abc import Callable
from functools import cache

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from rapport.core.filters import FilterField, Filters, parse_filters
from rapport.core.phones import to_e164
from rapport.directory.models import User
from rapport.records import custom_fields
from rapport.records.lists import Column

from .models import Account, Contact

NAME_FIELDS = {Account: ("name",), Contact: ("full_name",)}  # what str(record) reads


def load_only_shown(records: QuerySet, columns: list[Column], *, ordering_field: str) -> QuerySet:
    """The list's rows loading only what its visible columns show, its order needs, and what names
    and links a row (id, str()). Building every field of a record and of its owner, team and parent
    for 50 rows cost four times the SQL of the page."""
    paths = {"id", *NAME_FIELDS[records.model], ordering_field}
    for column in columns:
        paths.update(column.loads or (column.key,))
    related = {path.rsplit("__", 1)[0] for path in paths if "__" in path}
    records = records.select_related(None).prefetch_related(None).only(*paths)
    if related:
        records = records.select_related(*related)
    prefetch = [column.prefetch for column in columns if column.prefetch]
    return records.prefetch_related(*prefetch) if prefetch else records


def _phone(raw: str) -> str:
    return to_e164(raw) or raw


def _model_field(model, name: str, kind: str, *, sortable: bool = False, lookup: str = "") -> FilterField:
    field = model._meta.get_field(name)
    return FilterField(name=name, label=field.verbose_name, kind=kind, lookup=lookup, sortable=sortable,
                       choices=tuple(field.choices or ()))


def _shared_fields(model) -> list[FilterField]:
    return [
        _model_field(model, "owner", "relation"),
        _model_field(model, "team", "relation"),
        FilterField("tag", _("tag"), "tag", lookup="tags"),
        _model_field(model, "created_at", "date", sortable=True, lookup="created_at__date"),
        _model_field(model, "updated_at", "date", sortable=True, lookup="updated_at__date"),
    ]


def account_filter_fields() -> list[FilterField]:
    return [*_account_model_filter_fields(), *custom_fields.filter_fields("account")]


def contact_filter_fields() -> list[FilterField]:
    return [*_contact_model_filter_fields(), *custom_fields.filter_fields("contact")]


# The fields and columns that come from the models are the same on every request (their labels are
# lazy, translated when shown), so they are built once; only the custom ones are read per request.
@cache
def _account_model_filter_fields() -> tuple[FilterField, ...]:
    text = ["name", "legal_name", "industry", "sic_code", "website", "email", "other_email",
            "billing_country", "billing_province", "billing_city", "billing_street", "billing_postcode",
            "shipping_country", "shipping_province", "shipping_city", "shipping_street", "shipping_postcode"]
    return (
        *[_model_field(Account, name, "text", sortable=name in {"name", "industry", "billing_city"}) for name in text],
        FilterField("phone", _("phone"), "text", lookup="phone_e164", parse=_phone),
        _model_field(Account, "employees", "number", sortable=True),
        _model_field(Account, "annual_revenue", "number", sortable=True),
        _model_field(Account, "lifecycle_stage", "choice", sortable=True),
        _model_field(Account, "source", "choice"),
        _model_field(Account, "rating", "choice"),
        _model_field(Account, "parent", "relation"),
        *_shared_fields(Account),
    )


@cache
def _contact_model_filter_fields() -> tuple[FilterField, ...]:
    text = ["full_name", "given_name", "family_name", "title", "department", "email", "other_email"]
    return (
        *[_model_field(Contact, name, "text", sortable=name in {"full_name", "title"}) for name in text],
        FilterField("phone", _("phone"), "text", lookup="mobile_phone_e164", parse=_phone),
        _model_field(Contact, "account", "relation"),
        FilterField("account_name", _("account name"), "text", lookup="account__name"),
        _model_field(Contact, "preferred_channel", "choice"),
        _model_field(Contact, "marketing_consent", "bool"),
        _model_field(Contact, "consent_method", "choice"),
        _model_field(Contact, "birthday", "date", sortable=True),
        *_shared_fields(Contact),
    )


def _display(model, attribute: str) -> Callable:
    """record -> the field's value, or the label of its choice (looked up in a dict made once, not
    through get_FOO_display, which rebuilds and hashes every lazy choice label on each call)."""
    field = model._meta.get_field(attribute)
    if not field.choices:
        return lambda record: getattr(record, attribute)
    labels = dict(field.flatchoices)  # lazy labels: translated when the cell is shown

    def value(record):
        raw = getattr(record, attribute)
        return labels.get(raw, raw)

    return value


def _tags(record) -> str:
    return ", ".join(tag.name for tag in record.tags.all())


def _shared_columns() -> list[Column]:
    return [
        Column("owner", _("owner"), lambda record: record.owner,
               loads=tuple(f"owner__{field}" for field in User.NAME_FIELDS)),
        Column("team", _("team"), lambda record: record.team or "", loads=("team__name",)),
        Column("tags", _("tags"), _tags, loads=("id",), prefetch="tags"),
    ]


def _field_columns(model, names: list[str], *, sortable: set[str]) -> list[Column]:
    return [Column(name, model._meta.get_field(name).verbose_name, _display(model, name),
                   name if name in sortable else "") for name in names]


def _stamp_columns(model) -> list[Column]:
    return [Column("updated_at", _("updated"), _display(model, "updated_at"), "updated_at"),
            Column("created_at", _("created"), _display(model, "created_at"), "created_at")]


def account_columns() -> list[Column]:
    return [*_account_model_columns(), *custom_fields.columns("account")]


def contact_columns() -> list[Column]:
    return [*_contact_model_columns(), *custom_fields.columns("contact")]


@cache
def _account_model_columns() -> tuple[Column, ...]:
    plain = ["name", "legal_name", "industry", "sic_code", "employees", "annual_revenue", "website", "phone",
             "email", "billing_country", "billing_province", "billing_city", "lifecycle_stage", "source", "rating"]
    return (
        *_field_columns(Account, plain, sortable={"name", "industry", "employees", "annual_revenue", "billing_city",
                                                  "lifecycle_stage"}),
        Column("parent", _("parent account"), lambda record: record.parent or "", loads=("parent__name",)),
        *_shared_columns(),
        *_stamp_columns(Account),
    )


@cache
def _contact_model_columns() -> tuple[Column, ...]:
    plain = ["title", "department", "mobile_phone", "work_phone", "email", "preferred_channel",
             "marketing_consent", "birthday"]
    return (
        *_field_columns(Contact, ["full_name"], sortable={"full_name"}),
        Column("account", _("account"), lambda record: record.account or "", loads=("account__name",)),
        *_field_columns(Contact, plain, sortable={"title", "birthday"}),
        *_shared_columns(),
        *_stamp_columns(Contact),
    )


ACCOUNT_DEFAULT_COLUMNS = ["name", "industry", "billing_city", "phone", "lifecycle_stage", "owner"]
CONTACT_DEFAULT_COLUMNS = ["full_name", "account", "title", "mobile_phone", "email", "owner"]


def parse_account_filters(query) -> Filters:
    return parse_filters(query, account_filter_fields(), default_sort="name",
                         default_columns=ACCOUNT_DEFAULT_COLUMNS, column_keys={c.key for c in account_columns()})


def parse_contact_filters(query) -> Filters:
    return parse_filters(query, contact_filter_fields(), default_sort="full_name",
                         default_columns=CONTACT_DEFAULT_COLUMNS, column_keys={c.key for c in contact_columns()})


def account_text_search(queryset: QuerySet, text: str) -> QuerySet:
    condition = (Q(name__icontains=text) | Q(legal_name__icontains=text) | Q(email__icontains=text)
                 | Q(billing_city__icontains=text))
    if phone := to_e164(text):
        condition |= Q(phone_e164=phone) | Q(other_phone_e164=phone)
    return queryset.filter(condition)


def contact_text_search(queryset: QuerySet, text: str) -> QuerySet:
    condition = Q(full_name__icontains=text) | Q(email__icontains=text) | Q(account__name__icontains=text)
    if phone := to_e164(text):
        condition |= Q(mobile_phone_e164=phone) | Q(work_phone_e164=phone)
    return queryset.filter(condition)
