"""Shared fixtures: the people of a small sales organisation, as in the demo data."""

import pytest

from rapport.access.scopes import Scope

from .factories import PASSWORD, TeamFactory, UserFactory, role_with


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def sales_team(db):
    return TeamFactory(name="Sales East")


@pytest.fixture
def rep_role(db):
    return role_with("Sales rep", view=Scope.OWN, create=Scope.OWN, edit=Scope.OWN, delete=Scope.OWN)


@pytest.fixture
def manager(db, sales_team, rep_role):
    return UserFactory(username="manager", display_name="Mia Manager", role=rep_role, team=sales_team)


@pytest.fixture
def rep(db, sales_team, rep_role, manager):
    return UserFactory(username="rep1", display_name="Ray Rep", role=rep_role, team=sales_team, manager=manager)


@pytest.fixture
def other_rep(db, sales_team, rep_role, manager):
    return UserFactory(username="rep2", display_name="Wang Fang", role=rep_role, team=sales_team, manager=manager)


@pytest.fixture
def agent(db):
    role = role_with("Service agent", view=Scope.ALL, create=Scope.ALL, edit=Scope.ALL)
    return UserFactory(username="agent", role=role, team=TeamFactory(name="Service"))


@pytest.fixture
def marketer(db):
    role = role_with("Marketer", view=Scope.ALL, export=Scope.ALL)
    return UserFactory(username="marketer", role=role)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def rep_client(client, rep):
    client.force_login(rep)
    return client
