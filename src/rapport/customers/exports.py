"""The account and contact lists as exportable entities: the list's own filters, selector and columns.

The columns are the list's columns (same keys, labels and order); only their values are typed for
the files: numbers stay numbers, money carries its currency, dates stay dates.
"""

import uuid

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from rapport.core.writers import Money, VCard
from rapport.dataio import exports
from rapport.records import custom_fields

from . import selectors
from .filters import ACCOUNT_LIST, CONTACT_LIST
from .models import Account, Contact


def register() -> None:
    exports.register("accounts", exports.Exportable(
        title=_("Accounts"), permission="customers.export", list_url_name="customers:account_list",
        parse_filters=ACCOUNT_LIST.parse,
        select=lambda actor, filters: selectors.account_list(actor=actor, filters=filters),
        columns=lambda filters: _typed_columns(ACCOUNT_LIST.columns(), Account, "account", filters),
        filter_fields=ACCOUNT_LIST.filter_fields, narrow=_load_only_shown,
    ), order=10)
    exports.register("contacts", exports.Exportable(
        title=_("Contacts"), permission="customers.export", list_url_name="customers:contact_list",
        parse_filters=CONTACT_LIST.parse,
        select=lambda actor, filters: selectors.contact_list(actor=actor, filters=filters),
        columns=lambda filters: _typed_columns(CONTACT_LIST.columns(), Contact, "contact", filters),
        filter_fields=CONTACT_LIST.filter_fields, narrow=_load_only_shown, vcard=contact_vcard,
    ), order=20)


VCARD_FIELDS = ("full_name", "family_name", "given_name", "department", "title", "mobile_phone", "mobile_phone_e164",
                "work_phone", "work_phone_e164", "email", "other_email", "birthday")
NAMED_BY_JOIN = ("account", "parent")  # many: their names come with the row
NAMED_BY_TABLE = {"owner": ("display_name", "first_name", "last_name", "username"), "team": ("name",)}  # few


def _load_only_shown(records: QuerySet, column_keys: list[str], file_format: str) -> QuerySet:
    """The list's rows — same scope, filters and order — loading only what the file shows.

    Building a contact, its account and its owner as full objects for each row was most of the
    time of a large export (10 s of 100,000 rows to CSV); one narrow object per row, with account
    names from the join and people's names from one small query, takes well under half of that.
    """
    fields, names, tags = {"id"}, {}, False
    if file_format == "vcf":
        fields.update(VCARD_FIELDS)
        column_keys = ["account"]
    for key in column_keys:
        if key == "tags":
            tags = True
        elif key in NAMED_BY_JOIN:
            names[f"export_{key}_name"] = F(f"{key}__name")
        elif key.startswith(custom_fields.PREFIX):
            fields.update(["custom", *_currency_of(records.model)])
        else:
            fields.add(key)
            if key == "annual_revenue":
                fields.update(_currency_of(records.model))
    records = records.select_related(None).prefetch_related(None).only(*fields).annotate(**names)
    return records.prefetch_related("tags") if tags else records


def _currency_of(model) -> list[str]:
    return ["currency"] if any(field.name == "currency" for field in model._meta.concrete_fields) else []


class _NamesOf:
    """id -> str(record) for people or teams, read in one query on first use: there are few of them."""

    def __init__(self, model, fields: tuple[str, ...]):
        self.model, self.fields, self.names = model, fields, None

    def __call__(self, pk):
        if pk is None:
            return None
        if self.names is None:
            self.names = {record.pk: str(record) for record in self.model._base_manager.only(*self.fields)}
        return self.names.get(pk)


def _related_name(key: str):
    def value(record):
        try:
            return getattr(record, f"export_{key}_name")
        except AttributeError:  # rows not narrowed by _load_only_shown
            related = getattr(record, key)
            return str(related) if related else None

    return value


def _by_table(model, key: str):
    names = _NamesOf(model._meta.get_field(key).related_model, NAMED_BY_TABLE[key])
    return lambda record: names(getattr(record, f"{key}_id"))


def _typed_columns(columns: list, model, entity: str, filters) -> list[exports.ExportColumn]:
    """The list's visible columns in its order, with the values the files need."""
    by_key = {column.key: column for column in columns}
    custom = {f"{custom_fields.PREFIX}{d.key}": d for d in custom_fields.definitions_for(entity)}
    typed = []
    for key in filters.visible_columns:
        column = by_key[key]
        value = column.value
        if key == "annual_revenue":
            value = _revenue
        elif key in custom:
            value = custom_fields.export_value(custom[key])
        elif key in NAMED_BY_JOIN:
            value = _related_name(key)
        elif key in NAMED_BY_TABLE:
            value = _by_table(model, key)
        typed.append(exports.ExportColumn(key, column.label, value))
    return typed


def _revenue(account):
    amount = account.annual_revenue
    return None if amount is None else Money(amount, account.currency)


def contact_vcard(contact: Contact) -> VCard:
    organisation = ()
    if account := _related_name("account")(contact):
        organisation = (account, contact.department) if contact.department else (account,)
    return VCard(
        full_name=contact.full_name, family_name=contact.family_name, given_name=contact.given_name,
        organisation=organisation, title=contact.title,
        phones=(("cell", contact.mobile_phone_e164 or contact.mobile_phone),
                ("work", contact.work_phone_e164 or contact.work_phone)),
        emails=(contact.email, contact.other_email), birthday=contact.birthday,
        # The same contact keeps the same UID in every export, so address books update it.
        uid=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{settings.SITE_URL}/contacts/{contact.pk}')}",
    )
