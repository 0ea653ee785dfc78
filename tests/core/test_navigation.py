"""The main menu: each module's entries in their order, shown to those who may use them."""

import re

import pytest
from django.urls import reverse

from rapport.access.models import Grant
from rapport.access.scopes import Scope
from rapport.core.extensions import NavEntry, navigation
from rapport.timeline import services

pytestmark = pytest.mark.django_db


def menu_of(client) -> list[str]:
    page = client.get(reverse("home")).content.decode()
    nav = re.search(r'<nav class="mainnav".*?</nav>', page, re.S).group(0)
    return re.findall(r'<a href="[^"]*" id="([\w-]+)-link"', nav)


def test_the_menu_lists_each_modules_entries_in_order(rep_client):
    assert menu_of(rep_client) == ["home", "accounts", "contacts", "activities", "tasks", "calendar", "inbox",
                                   "reports", "recycle"]


def test_entries_are_shown_only_to_those_who_may_use_them(client, rep, admin_user):
    Grant.objects.filter(role=rep.role, module="customers").update(scope=Scope.NONE)
    client.force_login(rep)
    assert "accounts" not in menu_of(client) and "contacts" not in menu_of(client)
    client.force_login(admin_user)
    assert menu_of(client)[-1] == "admin"


def test_the_inbox_entry_counts_unread_notifications(client, rep, other_rep):
    services.task_create(actor=rep, data={"title": "Call Acme", "assignee": other_rep})
    client.force_login(other_rep)
    page = client.get(reverse("home")).content.decode()
    assert re.search(r'id="inbox-link"[^>]*>Inbox <span class="count-badge" aria-label="1 unread">1</span>', page)


def test_a_later_module_adds_its_entry_by_registering_it(rep_client):
    navigation.register("deals", NavEntry("Deals", "home"), order=45)
    try:
        assert menu_of(rep_client).index("deals") == menu_of(rep_client).index("tasks") + 1
    finally:
        navigation.unregister("deals")
