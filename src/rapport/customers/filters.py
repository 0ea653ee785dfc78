"""The filters, sorts and columns of the account and contact lists (HTML and API alike)."""

from functools import cache

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from rapport.core.filters import FilterField, Filters, parse_filters
from rapport.core.phones import to_e164
from rapport.records import custom_fields, lists
from rapport.records.lists import Column

from .models import Account, Contact

NAME_FIELDS = {Account: ("name",), Contact: ("full_name",)}  # what str(record) reads


def _phone(raw: str) -> str:
    return to_e164(raw) or raw


def _shared_fields(model) -> list[FilterField]:
    return [*lists.ownership_filters(model), FilterField("tag", _("tag"), "tag", lookup="tags")]


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
        *[lists.model_filter(Account, name, "text", sortable=name in {"name", "industry", "billing_city"})
          for name in text],
        FilterField("phone", _("phone"), "text", lookup="phone_e164", parse=_phone),
        lists.model_filter(Account, "employees", "number", sortable=True),
        lists.model_filter(Account, "annual_revenue", "number", sortable=True),
        lists.model_filter(Account, "lifecycle_stage", "choice", sortable=True),
        lists.model_filter(Account, "source", "choice"),
        lists.model_filter(Account, "rating", "choice"),
        lists.model_filter(Account, "parent", "relation"),
        *_shared_fields(Account),
    )


@cache
def _contact_model_filter_fields() -> tuple[FilterField, ...]:
    text = ["full_name", "given_name", "family_name", "title", "department", "email", "other_email"]
    return (
        *[lists.model_filter(Contact, name, "text", sortable=name in {"full_name", "title"}) for name in text],
        FilterField("phone", _("phone"), "text", lookup="mobile_phone_e164", parse=_phone),
        lists.model_filter(Contact, "account", "relation"),
        FilterField("account_name", _("account name"), "text", lookup="account__name"),
        lists.model_filter(Contact, "preferred_channel", "choice"),
        lists.model_filter(Contact, "marketing_consent", "bool"),
        lists.model_filter(Contact, "consent_method", "choice"),
        lists.model_filter(Contact, "birthday", "date", sortable=True),
        *_shared_fields(Contact),
    )


def _tags(record) -> str:
    return ", ".join(tag.name for tag in record.tags.all())


def _shared_columns(model) -> list[Column]:
    return [*lists.ownership_columns(), Column("tags", _("tags"), _tags, loads=("id",), prefetch="tags"),
            *lists.stamp_columns(model)]


def account_columns() -> list[Column]:
    return [*_account_model_columns(), *custom_fields.columns("account")]


def contact_columns() -> list[Column]:
    return [*_contact_model_columns(), *custom_fields.columns("contact")]


@cache
def _account_model_columns() -> tuple[Column, ...]:
    plain = ["name", "legal_name", "industry", "sic_code", "employees", "annual_revenue", "website", "phone",
             "email", "billing_country", "billing_province", "billing_city", "lifecycle_stage", "source", "rating"]
    return (
        *lists.field_columns(Account, plain, sortable={"name", "industry", "employees", "annual_revenue",
                                                       "billing_city", "lifecycle_stage"}),
        Column("parent", _("parent account"), lambda record: record.parent or "", loads=("parent__name",)),
        *_shared_columns(Account),
    )


@cache
def _contact_model_columns() -> tuple[Column, ...]:
    plain = ["title", "department", "mobile_phone", "work_phone", "email", "preferred_channel",
             "marketing_consent", "birthday"]
    return (
        *lists.field_columns(Contact, ["full_name"], sortable={"full_name"}),
        Column("account", _("account"), lambda record: record.account or "", loads=("account__name",)),
        *lists.field_columns(Contact, plain, sortable={"title", "birthday"}),
        *_shared_columns(Contact),
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
