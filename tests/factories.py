"""Factories for test data: people with roles, accounts and contacts."""

import factory
from django.contrib.auth.hashers import make_password

from rapport import access
from rapport.access.models import Grant, Role
from rapport.access.scopes import Scope
from rapport.customers.models import Account, Contact
from rapport.directory.models import Team, User
from rapport.records.models import CustomField
from rapport.search import services as search_index

PASSWORD = "correct horse battery"


def role_with(name: str, **scopes: Scope) -> Role:
    """A role granting `scopes` (action -> scope) on every registered module."""
    role, _created = Role.objects.get_or_create(name=name)
    for module in access.modules:
        for action in module.actions:
            Grant.objects.update_or_create(role=role, module=module.name, action=action,
                                           defaults={"scope": scopes.get(action, Scope.NONE)})
    return role


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    display_name = factory.LazyAttribute(lambda user: user.username.title())
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


class IndexedFactory(factory.django.DjangoModelFactory):
    """A record as the services leave it: in the search index too (lists search through it), unless made
    with `indexed=False`, as if written behind the services' back."""

    class Meta:
        abstract = True

    @factory.post_generation
    def indexed(record, create, extracted, **kwargs):
        if create and extracted is not False:
            search_index.index(record)


class AccountFactory(IndexedFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Company {n:04d}")
    owner = factory.SubFactory(UserFactory)
    team = factory.LazyAttribute(lambda account: account.owner.team)
    industry = "Retail"


class ContactFactory(IndexedFactory):
    class Meta:
        model = Contact

    full_name = factory.Sequence(lambda n: f"Person {n:04d}")
    owner = factory.SubFactory(UserFactory)
    team = factory.LazyAttribute(lambda contact: contact.owner.team)


class CustomFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomField

    entity = "account"
    key = factory.Sequence(lambda n: f"field_{n}")
    label = factory.LazyAttribute(lambda field: field.key.replace("_", " ").title())
