"""Administrators read the security log and the change history; nobody edits them."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rapport.audit.models import Change, ChangeAction, SecurityEvent, SecurityEventKind
from rapport.customers import services as customer_services
from rapport.customers.models import Account

from ..factories import PASSWORD, AccountFactory


@pytest.fixture
def admin_client(admin_user):
    browser = Client()
    browser.force_login(admin_user)
    return browser


@pytest.fixture
def security_log(rep, other_rep):
    """A failed login, a login, an old login and a refusal (whose browser logs in as well)."""
    Client().post("/login/", {"username": "rep1", "password": "wrong"}, REMOTE_ADDR="198.51.100.7")
    Client().post("/login/", {"username": "rep2", "password": PASSWORD}, REMOTE_ADDR="192.0.2.44")
    SecurityEvent.objects.create(kind=SecurityEventKind.LOGIN, user=rep, username="rep1",
                                 at=timezone.now() - timedelta(days=40))
    refused = Client()
    refused.force_login(rep)
    refused.get(f"/customers/accounts/{AccountFactory(owner=other_rep).pk}/")


def listed(response) -> list[tuple[str, str]]:
    return sorted((event.kind, event.username) for event in response.context["cl"].result_list)


def test_security_log_lists_logins_failures_and_refusals(admin_client, security_log):
    response = admin_client.get("/admin/audit/securityevent/")

    assert response.status_code == 200
    assert listed(response) == sorted([
        ("login", "admin"), ("login_failed", "rep1"), ("login", "rep2"), ("login", "rep1"), ("login", "rep1"),
        ("access_refused", "rep1"),
    ])
    page = response.content.decode()
    assert "198.51.100.7" in page
    assert "failed login" in page
    assert "access refused" in page


def test_security_log_filters_by_kind(admin_client, security_log):
    response = admin_client.get("/admin/audit/securityevent/", {"kind__exact": "login_failed"})

    assert listed(response) == [("login_failed", "rep1")]


def test_security_log_filters_by_date(admin_client, security_log):
    week_ago = (timezone.now() - timedelta(days=7)).replace(hour=0, minute=0, second=0, microsecond=0)

    response = admin_client.get("/admin/audit/securityevent/", {"at__gte": str(week_ago)})

    assert ("login", "rep1") in listed(response)
    assert len(listed(response)) == 5


@pytest.mark.parametrize(("query", "found"), [
    ("rep2", [("login", "rep2")]),
    ("198.51.100.7", [("login_failed", "rep1")]),
])
def test_security_log_searches_by_username_and_address(admin_client, security_log, query, found):
    response = admin_client.get("/admin/audit/securityevent/", {"q": query})

    assert listed(response) == found


def test_security_log_cannot_be_edited(admin_client, security_log):
    event = SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED).get()

    assert admin_client.get("/admin/audit/securityevent/add/").status_code == 403
    assert admin_client.post(f"/admin/audit/securityevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    detail = admin_client.get(f"/admin/audit/securityevent/{event.pk}/change/")
    assert detail.status_code == 200
    assert 'name="username"' not in detail.content.decode()
    admin_client.post(f"/admin/audit/securityevent/{event.pk}/change/", {"username": "someone else"})
    event.refresh_from_db()
    assert event.username == "rep1"


def test_change_history_is_listed_read_only(admin_client, rep):
    account = customer_services.account_create(actor=rep, data={"name": "Huawei Retail", "owner": rep})
    change = Change.objects.get(object_id=account.pk, action=ChangeAction.CREATED)

    listing = admin_client.get(f"/admin/audit/change/?q={account.pk}")

    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [change]
    assert admin_client.get("/admin/audit/change/add/").status_code == 403
    assert admin_client.post(f"/admin/audit/change/{change.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Account.objects.filter(pk=account.pk).exists()
