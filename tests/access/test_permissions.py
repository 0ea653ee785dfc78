"""Who sees and changes which records: scopes none / own / team / all, managers, teams, superusers."""

import pytest

from rapport import access
from rapport.access.scopes import Scope
from rapport.audit.models import SecurityEvent, SecurityEventKind
from rapport.core.errors import NotFound, PermissionDenied
from rapport.customers.models import Account, Contact

from ..factories import AccountFactory, ContactFactory, TeamFactory, UserFactory, role_with


def visible_accounts(actor, action="view") -> set[str]:
    return set(access.visible_to(actor, Account.objects.all(), action).values_list("name", flat=True))


@pytest.fixture
def accounts(rep, other_rep, manager, agent):
    """One account per owner, named for the owner."""
    return {
        user.username: AccountFactory(name=f"{user.username}'s account", owner=user)
        for user in [rep, other_rep, manager, agent]
    }


def person_with(scope: Scope, team=None, **extra):
    role = role_with(f"Everyone {scope}", view=scope, edit=scope)
    return UserFactory(role=role, team=team, **extra)


def test_scope_none_sees_and_changes_nothing(accounts):
    nobody = person_with(Scope.NONE)
    own_account = AccountFactory(name="Nobody's own", owner=nobody)

    assert visible_accounts(nobody) == set()
    assert not access.can(nobody, "customers.view", own_account)
    assert not access.can(nobody, "customers.edit")


def test_scope_own_sees_own_records_only(accounts, other_rep):
    loner = person_with(Scope.OWN, team=other_rep.team)
    AccountFactory(name="Loner's account", owner=loner)

    assert visible_accounts(loner) == {"Loner's account"}
    assert access.can(loner, "customers.edit", Account.objects.get(name="Loner's account"))
    assert not access.can(loner, "customers.view", accounts["rep2"])


def test_scope_team_sees_records_of_team_members_and_of_the_team(accounts, sales_team):
    teammate = person_with(Scope.TEAM, team=sales_team)
    outsider = UserFactory(team=TeamFactory(name="North"))
    assigned_to_team = AccountFactory(name="Assigned to Sales East", owner=outsider, team=sales_team)
    AccountFactory(name="North's account", owner=outsider)

    assert visible_accounts(teammate) == {"rep1's account", "rep2's account", "manager's account",
                                          "Assigned to Sales East"}
    assert access.can(teammate, "customers.edit", accounts["rep2"])
    assert access.can(teammate, "customers.edit", assigned_to_team)
    assert not access.can(teammate, "customers.view", accounts["agent"])


def test_scope_team_without_a_team_sees_only_own_records(accounts):
    teamless = person_with(Scope.TEAM)
    AccountFactory(name="Teamless account", owner=teamless, team=None)
    AccountFactory(name="Other teamless account", owner=UserFactory(), team=None)

    assert visible_accounts(teamless) == {"Teamless account"}


def test_scope_all_sees_everything(accounts):
    auditor = person_with(Scope.ALL)

    assert visible_accounts(auditor) == {account.name for account in accounts.values()}
    assert access.can(auditor, "customers.edit", accounts["agent"])


def test_view_and_edit_are_granted_separately(accounts, rep):
    role = role_with("Reads all, edits own", view=Scope.ALL, edit=Scope.OWN)
    reader = UserFactory(role=role)
    AccountFactory(name="Reader's account", owner=reader)

    assert access.can(reader, "customers.view", accounts["rep1"])
    assert not access.can(reader, "customers.edit", accounts["rep1"])
    assert visible_accounts(reader, "edit") == {"Reader's account"}
    assert len(visible_accounts(reader, "view")) == 5


def test_manager_sees_reports_records_and_their_reports_records(accounts, manager, rep):
    trainee = UserFactory(username="trainee", manager=rep, role=rep.role)
    AccountFactory(name="trainee's account", owner=trainee)

    assert visible_accounts(manager) == {"manager's account", "rep1's account", "rep2's account",
                                         "trainee's account"}
    assert access.can(manager, "customers.edit", Account.objects.get(name="trainee's account"))


def test_a_report_does_not_see_their_manager_or_peers(accounts, rep):
    trainee = UserFactory(username="trainee", manager=rep, role=rep.role)
    AccountFactory(name="trainee's account", owner=trainee)

    assert visible_accounts(rep) == {"rep1's account", "trainee's account"}
    assert not access.can(rep, "customers.view", accounts["manager"])
    assert not access.can(rep, "customers.view", accounts["rep2"])


def test_a_circle_of_managers_does_not_hang(db):
    role = role_with("Circle", view=Scope.OWN)
    first = UserFactory(role=role)
    second = UserFactory(role=role, manager=first)
    first.manager = second
    first.save()
    AccountFactory(name="Second's account", owner=second)

    assert visible_accounts(first) == {"Second's account"}


def test_superuser_sees_everything_without_a_role(accounts):
    root = UserFactory(is_superuser=True)

    assert visible_accounts(root) == {account.name for account in accounts.values()}
    assert access.can(root, "customers.delete", accounts["rep1"])


def test_inactive_people_and_visitors_see_nothing(accounts, rep):
    from django.contrib.auth.models import AnonymousUser

    rep.is_active = False

    assert visible_accounts(rep) == set()
    assert not access.can(rep, "customers.view", accounts["rep1"])
    assert visible_accounts(AnonymousUser()) == set()


def test_contact_is_visible_to_the_owner_of_its_account(rep, other_rep):
    account = AccountFactory(owner=rep)
    contact = ContactFactory(full_name="Li Na", owner=other_rep, account=account)
    ContactFactory(full_name="Someone else's", owner=other_rep)

    visible = set(access.visible_to(rep, Contact.objects.all()).values_list("full_name", flat=True))

    assert visible == {"Li Na"}
    assert access.can(rep, "customers.edit", contact)


def test_contact_without_an_account_follows_its_own_owner(rep, other_rep):
    contact = ContactFactory(owner=other_rep, account=None)

    assert not access.can(rep, "customers.view", contact)
    assert access.can(other_rep, "customers.view", contact)


def test_require_refuses_and_records_the_refusal(accounts, rep):
    with pytest.raises(PermissionDenied):
        access.require(rep, "customers.edit", accounts["rep2"])
    with pytest.raises(NotFound):
        access.require(rep, "customers.view", accounts["rep2"], hide=True)

    refusals = SecurityEvent.objects.filter(kind=SecurityEventKind.ACCESS_REFUSED, user=rep)
    assert refusals.count() == 2
    assert f"customers.edit customers.Account #{accounts['rep2'].pk}" in refusals.values_list("detail", flat=True)


def test_allowed_action_is_not_recorded_as_refused(accounts, rep):
    access.require(rep, "customers.edit", accounts["rep1"])

    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.ACCESS_REFUSED).exists()
