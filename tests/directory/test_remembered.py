"""A user's grants, reports, team and unread count are worked out once and remembered across requests;
whatever changes one of them takes effect at the very next request, in any process (each request reads the
user's stamp afresh, and what is remembered is filed under it)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.access.models import Grant
from rapport.access.scopes import Scope
from rapport.directory.models import RecentlyViewed
from rapport.records.models import SavedView
from rapport.timeline import services as timeline

from ..factories import AccountFactory, UserFactory, role_with

ACCOUNTS = reverse("customers:account_list")
INBOX_BADGE = 'class="count-badge" aria-label="{count} unread"'


def sql_of(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_second_request_reads_no_grants_reports_unread_count_people_or_saved_views(rep_client):
    first = sql_of(rep_client, ACCOUNTS)
    second = sql_of(rep_client, ACCOUNTS)
    for table in ('"access_grant"', '"directory_user"."manager_id" IN', '"timeline_notification"',
                  'FROM "directory_user" WHERE "directory_user"."is_active"', '"records_savedview"'):
        assert any(table in sql for sql in first), table
        assert not any(table in sql for sql in second), table
    assert len(second) == len(first) - 5


def test_a_grant_taken_away_applies_at_the_next_request(rep_client, rep):
    AccountFactory(owner=rep, name="Acme")
    assert "Acme" in rep_client.get(ACCOUNTS).content.decode()
    grant = Grant.objects.get(role=rep.role, module="customers", action="view")
    grant.scope = Scope.NONE
    grant.save()  # as the role's page in the admin does
    assert "Acme" not in rep_client.get(ACCOUNTS).content.decode()


def test_a_new_report_is_within_the_managers_scope_at_the_next_request(client, rep_role):
    boss = UserFactory(username="boss", role=rep_role)
    newcomer = UserFactory(username="newcomer", role=rep_role)
    AccountFactory(owner=newcomer, name="Newcomer's customer")
    client.force_login(boss)
    assert "Newcomer&#x27;s customer" not in client.get(ACCOUNTS).content.decode()
    newcomer.manager = boss
    newcomer.save()
    assert "Newcomer&#x27;s customer" in client.get(ACCOUNTS).content.decode()
    newcomer.manager = None
    newcomer.save(update_fields=["manager"])
    assert "Newcomer&#x27;s customer" not in client.get(ACCOUNTS).content.decode()


def test_the_bulk_bar_offers_a_new_colleague_and_a_renamed_one_by_their_new_name_at_the_next_request(
        rep_client, rep_role):
    colleague = UserFactory(username="colleague", display_name="Old Name", role=rep_role)
    assert "Old Name" in rep_client.get(ACCOUNTS).content.decode()
    colleague.display_name = "New Name"
    colleague.save(update_fields=["display_name"])
    UserFactory(username="newcomer", display_name="Newcomer", role=rep_role)
    page = rep_client.get(ACCOUNTS).content.decode()
    assert "New Name" in page and "Old Name" not in page and "Newcomer" in page
    colleague.is_active = False
    colleague.save(update_fields=["is_active"])
    assert "New Name" not in rep_client.get(ACCOUNTS).content.decode()


def test_a_saved_view_is_offered_at_once_and_a_deleted_one_no_longer(rep_client, rep):
    rep_client.get(ACCOUNTS)
    rep_client.post(reverse("customers:account_view_save"), {"name": "Big ones", "query": "employees__gte=1000"})
    assert "Big ones" in rep_client.get(ACCOUNTS).content.decode()
    view = SavedView.objects.get(user=rep)
    rep_client.post(reverse("customers:account_view_delete", args=[view.pk]))
    assert "Big ones" not in rep_client.get(ACCOUNTS).content.decode()


def test_a_role_given_through_an_old_copy_of_the_user_still_applies_at_the_next_request(rep_client, rep):
    AccountFactory(owner=rep, name="Acme")
    stale_copy = type(rep).objects.get(pk=rep.pk)
    assert "Acme" in rep_client.get(ACCOUNTS).content.decode()
    stale_copy.role = role_with("Reads nothing")
    stale_copy.save()  # writes every field, the stamp it was read with included
    assert "Acme" not in rep_client.get(ACCOUNTS).content.decode()


def test_the_inbox_badge_counts_new_notifications_and_forgets_read_ones(rep_client, rep, manager):
    assert "count-badge" not in rep_client.get(ACCOUNTS).content.decode()
    timeline.task_create(actor=manager, data={"title": "Call Acme", "assignee": rep})
    timeline.task_create(actor=manager, data={"title": "Visit Acme", "assignee": rep})
    assert INBOX_BADGE.format(count=2) in rep_client.get(ACCOUNTS).content.decode()
    rep_client.post(reverse("timeline:inbox"))
    assert "count-badge" not in rep_client.get(ACCOUNTS).content.decode()


@pytest.mark.parametrize("kind", ["account", "contact"])
def test_a_record_opened_again_within_a_minute_is_not_written_again(rep_client, rep, kind):
    account = AccountFactory(owner=rep, name="Acme")
    record = account if kind == "account" else account.contacts.create(full_name="Li Na", owner=rep)
    other = AccountFactory(owner=rep, name="Globex")
    writes = [sql for sql in sql_of(rep_client, record.get_absolute_url()) if "directory_recentlyviewed" in sql]
    assert len(writes) == 1 and RecentlyViewed.objects.filter(user=rep, object_id=record.pk).count() == 1
    again = sql_of(rep_client, record.get_absolute_url())
    assert not any("directory_recentlyviewed" in sql for sql in again)
    rep_client.get(other.get_absolute_url())
    assert RecentlyViewed.objects.filter(user=rep).count() == 2


@pytest.fixture
def redis_cache(settings):
    """The cache as REDIS_URL makes it (settings.py), on the machine's Redis, in a database of the tests' own."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/15", "KEY_PREFIX": "rapport-tests"}}
    from django.core.cache import cache, caches
    from django.core.cache.backends.redis import RedisCache

    assert isinstance(caches["default"], RedisCache)
    cache.clear()
    yield cache
    cache.clear()


def test_with_redis_the_facts_are_remembered_and_a_changed_grant_still_applies_at_once(redis_cache, rep_client,
                                                                                         rep):
    AccountFactory(owner=rep, name="Acme")
    assert any('"access_grant"' in sql for sql in sql_of(rep_client, ACCOUNTS))
    assert not any('"access_grant"' in sql for sql in sql_of(rep_client, ACCOUNTS))
    rep.refresh_from_db()
    assert redis_cache.get(f"rapport:user:{rep.pk}:{rep.stamp}")["scopes"]["customers.view"] == Scope.OWN
    grant = Grant.objects.get(role=rep.role, module="customers", action="view")
    grant.scope = Scope.NONE
    grant.save()
    assert "Acme" not in rep_client.get(ACCOUNTS).content.decode()
