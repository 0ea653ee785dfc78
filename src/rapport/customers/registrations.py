"""What the customers app adds to the extension points of access, audit, core and itself."""

from django.utils.translation import gettext_lazy as _

from rapport import access
from rapport.audit.recycle_bin import Recyclable, recyclables
from rapport.core.extensions import DemoGenerator, HomeCard, demo_generators, home_cards

from . import demo, selectors, services
from .models import Account, Contact
from .sections import Section, account_sections


def register_all() -> None:
    access.register_module(access.Module(
        name="customers", label=_("Customers"),
        models=(
            access.ScopedModel("customers.Account"),
            access.ScopedModel("customers.Contact", owner_paths=("owner", "account__owner"),
                               team_paths=("team", "account__team")),
        ),
    ), order=10)
    recyclables.register("customers.account", _recyclable(Account, _("Accounts")), order=10)
    recyclables.register("customers.contact", _recyclable(Contact, _("Contacts")), order=20)
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


def _recyclable(model, label) -> Recyclable:
    return Recyclable(
        label=label,
        deleted_for=lambda actor: access.visible_to(
            actor, model.all_objects.filter(deleted_at__isnull=False), "delete"
        ).select_related("deleted_by"),
        restore=lambda actor, record: services.record_restore(actor=actor, record=record),
        url_of=lambda record: record.get_absolute_url(),
    )
