"""What the customers app adds to the extension points of access, audit, core and itself."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from rapport import access
from rapport.audit.recycle_bin import recyclables
from rapport.core.extensions import DemoGenerator, HomeCard, NavEntry, demo_generators, home_cards, navigation
from rapport.insights.registry import RECORDS, Measure, Report, register_report
from rapport.records.registry import RecordType, register_record_type
from rapport.records.services import records_reassign, recyclable
from rapport.search import registry as search

from . import demo, exports, imports, selectors
from .merging import MergeHook, merge_hooks
from .models import Account, Contact
from .sections import Section, account_sections
from .views import ACCOUNTS, CONTACTS


def register_all() -> None:
    access.register_module(access.Module(
        name="customers", label=_("Customers"),
        models=(
            access.ScopedModel("customers.Account"),
            access.ScopedModel("customers.Contact", owner_paths=("owner", "account__owner"),
                               team_paths=("team", "account__team")),
        ),
    ), order=10)
    register_record_type(RecordType("account", Account, _("account"), _("Accounts"), "customers",
                                    hint=lambda account: account.billing_city), order=10)
    register_record_type(RecordType(
        "contact", Contact, _("contact"), _("Contacts"), "customers",
        lookup_fields=("full_name", "email", "other_email"), hint_loads=("account",),
        hint=lambda contact: " · ".join(filter(None, [contact.email, contact.account and str(contact.account)])),
    ), order=20)
    recyclables.register("customers.account", recyclable(Account, _("Accounts")), order=10)
    recyclables.register("customers.contact", recyclable(Contact, _("Contacts")), order=20)
    account_sections.register("contacts", Section(
        title=_("Contacts"), template="customers/sections/account_contacts.html",
        context=lambda actor, account: {"contacts": selectors.account_contacts(actor=actor, account=account)},
    ), order=10)
    account_sections.register("hierarchy", Section(
        title=_("Account hierarchy"), template="customers/sections/account_hierarchy.html",
        context=lambda actor, account: {"children": selectors.account_children(actor=actor, account=account)},
    ), order=20)
    home_cards.register("recently_viewed", HomeCard(
        title=_("Recently viewed"), template="customers/cards/recent.html",
        context=lambda request: {"records": selectors.recently_viewed(actor=request.user)},
    ), order=50)
    home_cards.register("recently_changed", HomeCard(
        title=_("Recently changed accounts"), template="customers/cards/recent.html",
        context=lambda request: {"records": selectors.recently_changed_accounts(actor=request.user)},
    ), order=60)
    demo_generators.register("customers", DemoGenerator(generate=demo.generate), order=10)
    register_reports()
    merge_hooks.register("customers.contacts", MergeHook("customers.Account", _reassigning(Contact, "account")))
    merge_hooks.register("customers.children", MergeHook("customers.Account", _reassigning(Account, "parent")))
    navigation.register("accounts", NavEntry(_("Accounts"), "customers:account_list", visible=_may_view), order=10)
    navigation.register("contacts", NavEntry(_("Contacts"), "customers:contact_list", visible=_may_view), order=20)
    exports.register()
    imports.register()
    search.register(search.SearchType(
        name="account", label=_("Accounts"), model=Account, permission_module="customers",
        queryset=lambda: Account.objects.prefetch_related("tags"),
        title=lambda account: account.name,
        subtitle=lambda account: " · ".join(filter(None, [account.industry, account.billing_city])),
        text=lambda account: [*search.field_values(account, ACCOUNT_SEARCH_FIELDS), *_tags_and_custom(account)],
        phones=lambda account: [account.phone_e164 or account.phone, account.other_phone_e164 or account.other_phone,
                                *search.phone_like(search.custom_values(account.custom))],
        url=lambda account: account.get_absolute_url(),
    ), order=10)
    search.register(search.SearchType(
        name="contact", label=_("Contacts"), model=Contact, permission_module="customers",
        queryset=lambda: Contact.objects.select_related("account").prefetch_related("tags"),
        title=lambda contact: contact.full_name,
        subtitle=lambda contact: " · ".join(filter(None, [contact.title, contact.account and contact.account.name]))
        or contact.email,
        text=lambda contact: [*search.field_values(contact, CONTACT_SEARCH_FIELDS),
                              contact.account.name if contact.account else "", *_tags_and_custom(contact)],
        phones=lambda contact: [contact.mobile_phone_e164 or contact.mobile_phone,
                                contact.work_phone_e164 or contact.work_phone,
                                *search.phone_like(search.custom_values(contact.custom))],
        url=lambda contact: contact.get_absolute_url(),
        # A contact's entry shows its account's name and is visible to the account's owner and team.
        follows=(search.Follows("account", lambda ids: Contact.objects.filter(account_id__in=ids)
                                .values_list("pk", flat=True)),),
    ), order=20)


def register_reports() -> None:
    employees = Measure("employees", _("employees"), lambda: Sum("employees"))
    for key, title, group_by in [("accounts-by-stage", _("Accounts by lifecycle stage"), "lifecycle_stage"),
                                 ("accounts-by-industry", _("Accounts by industry"), "industry"),
                                 ("accounts-by-owner", _("Accounts by owner"), "owner")]:
        register_report(key, Report(title, ACCOUNTS, group_by, measures=(RECORDS, employees)), order=10)
    register_report("contacts-by-consent", Report(_("Contacts by marketing consent"), CONTACTS, "marketing_consent"),
                    order=20)


def _reassigning(model, field: str):
    def move(*, actor, source, target) -> None:
        records_reassign(actor=actor, model=model, field=field, source=source, target=target)
    return move


def _may_view(user) -> bool:
    return access.can(user, "customers.view")


ACCOUNT_SEARCH_FIELDS = (
    "external_id", "legal_name", "industry", "sic_code", "website", "email", "other_email",
    "billing_street", "billing_city", "billing_province", "billing_postcode", "billing_country",
    "shipping_street", "shipping_city", "shipping_province", "shipping_postcode", "shipping_country",
)
CONTACT_SEARCH_FIELDS = ("external_id", "given_name", "family_name", "title", "department", "email", "other_email")


def _tags_and_custom(record) -> list[str]:
    return [tag.name for tag in record.tags.all()] + search.custom_values(record.custom)
