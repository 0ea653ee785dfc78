"""The customer timeline shows each entry of a record (an activity, a task, a later module's record) only to
those whose scope in that record's module reaches it; entries of the customer itself go with the customer."""

import pytest

from rapport.access.scopes import Scope
from rapport.customers.services import account_update
from rapport.timeline import selectors, services

from ..factories import AccountFactory, UserFactory, role_with
from .test_timeline import timeline_titles

pytestmark = pytest.mark.django_db


def viewer_with(timeline_scope: Scope):
    """Someone who sees every customer but, in the timeline module, only `timeline_scope`."""
    role = role_with(f"Timeline {timeline_scope}", view=Scope.ALL, create=Scope.ALL, edit=Scope.ALL)
    role.grants.filter(module="timeline", action="view").update(scope=timeline_scope)
    return UserFactory(username=f"viewer_{timeline_scope}", role=role)


def test_entries_of_records_outside_the_readers_scope_stay_off_the_timeline(client, rep, manager):
    account = AccountFactory(owner=rep, name="Acme", lifecycle_stage="prospect")
    services.activity_create(actor=rep, data={"kind": "call", "subject": "Price talk", "account": account})
    services.task_create(actor=rep, data={"title": "Send the quote", "account": account})
    account_update(actor=manager, account=account, data={"lifecycle_stage": "customer"}, version=account.version)

    client.force_login(viewer_with(Scope.ALL))
    assert timeline_titles(client, account) == ["lifecycle stage: Prospect → Customer", "Send the quote",
                                                "Price talk"]
    client.force_login(viewer_with(Scope.NONE))
    assert timeline_titles(client, account) == ["lifecycle stage: Prospect → Customer"]


def test_an_own_scope_shows_ones_own_records_entries_and_last_contact_follows(rep):
    viewer = viewer_with(Scope.OWN)
    account = AccountFactory(owner=rep, name="Acme")
    services.activity_create(actor=viewer, data={"kind": "call", "subject": "My call", "account": account})
    services.activity_create(actor=rep, data={"kind": "visit", "subject": "Their visit", "place": "Plant",
                                              "account": account})
    page = selectors.timeline_page(actor=viewer, account=account, filters=selectors.TimelineFilters(), cursor=None)
    assert [entry.title for entry in page.rows] == ["My call"]
    assert selectors.last_contact(actor=viewer, account=account).title == "My call"
    assert selectors.last_contact(actor=rep, account=account).title == "Their visit"


def test_an_accounts_owner_sees_every_activity_on_it_without_a_check_per_entry(rep, other_rep, manager):
    from rapport import access
    from rapport.timeline.models import Activity, Task

    account = AccountFactory(owner=rep, name="Acme")
    services.activity_create(actor=manager, data={"kind": "call", "subject": "Manager's call", "account": account})
    assert access.covers_through(rep, Activity, "account", account)  # activities are the account owner's
    assert not access.covers_through(other_rep, Task, "account", account)
    page = selectors.timeline_page(actor=rep, account=account, filters=selectors.TimelineFilters(), cursor=None)
    assert [entry.title for entry in page.rows] == ["Manager's call"]
