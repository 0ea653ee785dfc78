"""Account and contact pages: the record pages every record type gets (records.pages), declared here."""

from django.utils.translation import gettext_lazy as _

from rapport.records.pages import RecordPages

from . import selectors, services
from .filters import ACCOUNT_LIST, CONTACT_LIST
from .forms import ACCOUNT_FIELDSETS, CONTACT_FIELDSETS, AccountForm, ContactForm
from .models import Account
from .operations import ACCOUNT_OPERATIONS, CONTACT_OPERATIONS
from .sections import account_header_facts, account_sections, contact_header_facts, contact_sections


def _sections_of(sections, header_facts):
    def context(actor, record) -> dict:
        return {"sections": [(section, section.context(actor, record)) for section in sections],
                "header_facts": [(fact, fact.context(actor, record)) for fact in header_facts]}
    return context


def _account_context(actor, account: Account) -> dict:
    return {**_sections_of(account_sections, account_header_facts)(actor, account),
            "summary": selectors.account_summary(actor=actor, account=account),
            "billing_address": address_of(account, "billing"), "shipping_address": address_of(account, "shipping")}


def address_of(account: Account, kind: str) -> str:
    parts = ("street", "city", "province", "postcode", "country")
    return " ".join(value for part in parts if (value := getattr(account, f"{kind}_{part}")))


def _initial_account(query) -> dict:
    """A contact created from an account's page starts on that account."""
    account_id = query.get("account", "")
    return {"account": account_id} if account_id.isdigit() else {}


ACCOUNTS = RecordPages(
    record_type_key="account", nav="accounts", url_namespace="customers", url_prefix="account",
    new_label=_("New account"), form_class=AccountForm, fieldsets=ACCOUNT_FIELDSETS,
    list=ACCOUNT_LIST, operations=ACCOUNT_OPERATIONS,
    merge=lambda actor, keep, other: services.account_merge(actor=actor, keep=keep, other=other),
    duplicates=lambda record: services.find_duplicates(services.ACCOUNT, record),
    detail_template="customers/account_detail.html", detail_context=_account_context,
)
CONTACTS = RecordPages(
    record_type_key="contact", nav="contacts", url_namespace="customers", url_prefix="contact",
    new_label=_("New contact"), form_class=ContactForm, fieldsets=CONTACT_FIELDSETS,
    list=CONTACT_LIST, operations=CONTACT_OPERATIONS,
    merge=lambda actor, keep, other: services.contact_merge(actor=actor, keep=keep, other=other),
    duplicates=lambda record: services.find_duplicates(services.CONTACT, record),
    detail_template="customers/contact_detail.html",
    detail_context=_sections_of(contact_sections, contact_header_facts), initial=_initial_account,
)
