"""GET /api/v1/search: the same results as the page, as JSON."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.customers.models import Account
from rapport.search import services as search_index

from ..api.conftest import API, error_fields
from ..factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(rep, other_rep):
    account = AccountFactory(owner=rep, name="Acme", industry="Retail", billing_city="Shenzhen")
    contact = ContactFactory(owner=other_rep, full_name="Acme Person", account=account, title="CFO")
    hidden = AccountFactory(owner=other_rep, name="Acme Hidden")
    search_index.index_many(Account, [account.pk, hidden.pk])
    search_index.index(contact)
    return account, contact


def test_results_are_grouped_by_type_with_links(rep_api, acme):
    account, contact = acme
    response = rep_api.get("/search", {"q": "acme"})
    assert response.status_code == 200
    assert response.json() == {"query": "acme", "groups": [
        {"type": "account", "label": "Accounts", "results": [
            {"type": "account", "id": account.pk, "title": "Acme", "subtitle": "Retail · Shenzhen",
             "url": f"/customers/accounts/{account.pk}/"}]},
        {"type": "contact", "label": "Contacts", "results": [
            {"type": "contact", "id": contact.pk, "title": "Acme Person", "subtitle": "CFO · Acme",
             "url": f"/customers/contacts/{contact.pk}/"}]},
    ]}


def test_types_and_limit_narrow_the_results(rep_api, rep, acme):
    search_index.index_many(Account, [a.pk for a in AccountFactory.create_batch(4, owner=rep, name="Acme")])
    body = rep_api.get("/search", {"q": "acme", "types": "account", "limit": 2}).json()
    assert [(group["type"], len(group["results"])) for group in body["groups"]] == [("account", 2)]
    body = rep_api.get("/search?q=acme&types=contact&types=account").json()
    assert [group["type"] for group in body["groups"]] == ["account", "contact"]


def test_bad_parameters_are_refused_by_name(rep_api):
    assert "types" in error_fields(rep_api.get("/search", {"q": "acme", "types": "account,spaceship"}))
    assert "q" in error_fields(rep_api.get("/search"))
    assert "limit" in error_fields(rep_api.get("/search", {"q": "acme", "limit": 500}))


def test_search_needs_authentication(client):
    assert client.get(f"{API}/search", {"q": "acme"}).status_code == 401


def test_query_count_does_not_grow_with_results(rep_api, rep, acme):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert rep_api.get("/search", {"q": "acme"}).status_code == 200
        return len(captured.captured_queries)

    queries()  # the token's first use is recorded once; later reads within the minute write nothing
    few = queries()
    search_index.index_many(Account, [a.pk for a in AccountFactory.create_batch(20, owner=rep, name="Acme")])
    assert queries() == few
