"""Every read of accounts and contacts beyond a plain get; each starts from the actor's scope."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from rapport import access
from rapport.core.filters import Filters
from rapport.directory.models import RecentlyViewed

from .filters import ACCOUNT_LIST, CONTACT_LIST
from .models import Account, Contact


def account_list(*, actor, filters: Filters) -> QuerySet[Account]:
    accounts = access.visible_to(actor, Account.objects.all())
    accounts = ACCOUNT_LIST.apply(accounts, filters)
    return accounts.select_related("owner", "team", "parent").prefetch_related("tags")


def contact_list(*, actor, filters: Filters) -> QuerySet[Contact]:
    contacts = access.visible_to(actor, Contact.objects.all())
    contacts = CONTACT_LIST.apply(contacts, filters)
    return contacts.select_related("owner", "team", "account").prefetch_related("tags")


def account_get(*, actor, account_id, action: str = "view", include_deleted: bool = False) -> Account:
    """The account if the actor may `action` it; NotFound otherwise, so existence does not leak."""
    manager = Account.all_objects if include_deleted else Account.objects
    return access.get_visible(actor, manager.select_related("owner", "team", "parent"), account_id, action)


def contact_get(*, actor, contact_id, action: str = "view", include_deleted: bool = False) -> Contact:
    manager = Contact.all_objects if include_deleted else Contact.objects
    return access.get_visible(actor, manager.select_related("owner", "team", "account"), contact_id, action)


def account_contacts(*, actor, account: Account) -> QuerySet[Contact]:
    return access.visible_to(actor, account.contacts.all()).select_related("owner").order_by("full_name", "id")


def account_children(*, actor, account: Account) -> QuerySet[Account]:
    return access.visible_to(actor, account.children.all()).select_related("owner").order_by("name", "id")


def recently_viewed(*, actor, limit: int = 10) -> list:
    """The accounts and contacts this user opened last, newest first, still within their scope."""
    views = list(RecentlyViewed.objects.filter(user=actor).order_by("-viewed_at")[: limit * 2])
    by_model = {Account: [], Contact: []}
    types = ContentType.objects.get_for_models(Account, Contact)
    for model, content_type in types.items():
        by_model[model] = [view.object_id for view in views if view.content_type_id == content_type.id]
    found = {}
    for model, ids in by_model.items():
        if ids:
            for record in access.visible_to(actor, model.objects.filter(pk__in=ids)):
                found[(types[model].id, record.pk)] = record
    records = [found[(v.content_type_id, v.object_id)] for v in views if (v.content_type_id, v.object_id) in found]
    return records[:limit]


def recently_changed_accounts(*, actor, limit: int = 10) -> list[Account]:
    return list(access.visible_to(actor, Account.objects.all()).select_related("owner")
                .order_by("-updated_at", "-id")[:limit])


def account_summary(*, actor, account: Account) -> dict:
    """Counts shown in the customer page header."""
    return access.visible_to(actor, Contact.objects.filter(account=account)).aggregate(
        contacts=Count("id"), consenting=Count("id", filter=Q(marketing_consent=True))
    )
