"""The filters, sorts and columns of the account and contact lists (HTML and API alike)."""

from functools import cache

from django.utils.translation import gettext_lazy as _

from rapport.core.filters import FilterField
from rapport.core.phones import to_e164
from rapport.records import lists
from rapport.records.listings import RecordList
from rapport.records.lists import Column

from .models import Account, Contact


def _phone(raw: str) -> str:
    return to_e164(raw) or raw


def _shared_fields(model) -> list[FilterField]:
    return [*lists.ownership_filters(model), FilterField("tag", _("tag"), "tag", lookup="tags")]


# The fields and columns that come from the models are the same on every request (their labels are
# lazy, translated when shown), so they are built once; the custom ones are read per request.
@cache
def _account_filter_fields() -> tuple[FilterField, ...]:
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
def _contact_filter_fields() -> tuple[FilterField, ...]:
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


@cache
def _account_columns() -> tuple[Column, ...]:
    plain = ["name", "legal_name", "industry", "sic_code", "employees", "annual_revenue", "website", "phone",
             "email", "billing_country", "billing_province", "billing_city", "lifecycle_stage", "source", "rating"]
    return (
        *lists.field_columns(Account, plain, sortable={"name", "industry", "employees", "annual_revenue",
                                                       "billing_city", "lifecycle_stage"}),
        Column("parent", _("parent account"), lambda record: record.parent or "", loads=("parent__name",)),
        *_shared_columns(Account),
    )


@cache
def _contact_columns() -> tuple[Column, ...]:
    plain = ["title", "department", "mobile_phone", "work_phone", "email", "preferred_channel",
             "marketing_consent", "birthday"]
    return (
        *lists.field_columns(Contact, ["full_name"], sortable={"full_name"}),
        Column("account", _("account"), lambda record: record.account or "", loads=("account__name",)),
        *lists.field_columns(Contact, plain, sortable={"title", "birthday"}),
        *_shared_columns(Contact),
    )


ACCOUNT_LIST = RecordList(
    record_type_key="account", model_filter_fields=_account_filter_fields, model_columns=_account_columns,
    default_sort="name", default_columns=("name", "industry", "billing_city", "phone", "lifecycle_stage", "owner"),
    name_fields=("name",),
)
CONTACT_LIST = RecordList(
    record_type_key="contact", model_filter_fields=_contact_filter_fields, model_columns=_contact_columns,
    default_sort="full_name", default_columns=("full_name", "account", "title", "mobile_phone", "email", "owner"),
    name_fields=("full_name",),
)
