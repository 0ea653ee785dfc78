"""The search box on every page, its suggestions, and the results page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.customers.models import Account, Contact
from rapport.search import services as search_index

from ..factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db

RESULTS = reverse("search:results")
SUGGESTIONS = reverse("search:suggestions")


def titles_in(html: str) -> list[str]:
    return re.findall(r'<a (?:class="suggest-option" [^>]*)?href="/customers/\w+/\d+/"[^>]*>(?:<span '
                      r'class="suggest-title">)?([^<]+)<', html)


def indexed_accounts(owner, count: int, name: str = "Acme"):
    accounts = AccountFactory.create_batch(count, owner=owner, name=name)
    search_index.index_many(Account, [account.pk for account in accounts])
    return accounts


def queries_for(client, url, params) -> int:
    """Queries of a search in steady state (the user's grants and reports already remembered)."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_every_page_has_the_search_box_for_people_logged_in(rep_client, client):
    html = rep_client.get(reverse("home")).content.decode()
    assert re.search(r'<form class="topsearch" role="search" method="get" action="/search/">', html)
    assert 'id="global-search"' in html and f'hx-get="{SUGGESTIONS}"' in html and 'aria-keyshortcuts="/"' in html
    assert not re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # "/" and the arrow keys live in rapport.js
    client.logout()
    assert "global-search" not in client.get(reverse("login")).content.decode()


def test_suggestions_are_a_fragment_grouped_by_type_with_a_link_to_all_results(rep_client, rep):
    account = indexed_accounts(rep, 1, name="深圳华为技术有限公司")[0]
    contact = ContactFactory(owner=rep, full_name="张伟", account=account, title="CFO")
    search_index.index(contact)
    response = rep_client.get(SUGGESTIONS, {"q": "华为"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "<body" not in html
    assert re.findall(r'class="suggest-label" id="suggest-\w+">([^<]+)<', html) == ["Accounts", "Contacts"]
    assert titles_in(html) == ["深圳华为技术有限公司", "张伟"]
    assert f'role="option" aria-selected="false" id="suggest-account-{account.pk}" href="/customers/accounts/' \
           f'{account.pk}/"' in html
    assert "CFO · 深圳华为技术有限公司" in html
    assert f'href="{RESULTS}?q=%E5%8D%8E%E4%B8%BA"' in html and "All results for “华为”" in html


def test_suggestions_for_nothing_yet_are_empty_and_for_no_match_say_so(rep_client, rep):
    indexed_accounts(rep, 1)
    assert rep_client.get(SUGGESTIONS, {"q": " "}).content == b""
    assert rep_client.get(SUGGESTIONS, {"q": "a"}).content == b""
    assert "Nothing you can see matches “zzz”." in rep_client.get(SUGGESTIONS, {"q": "zzz"}).content.decode()


def test_suggestions_hide_other_peoples_records(rep_client, rep, other_rep):
    indexed_accounts(rep, 1, name="Acme Mine")
    indexed_accounts(other_rep, 1, name="Acme Theirs")
    assert titles_in(rep_client.get(SUGGESTIONS, {"q": "acme"}).content.decode()) == ["Acme Mine"]


def test_results_page_lists_each_type_and_links_to_more_of_one(rep_client, rep):
    indexed_accounts(rep, 25)
    contacts = ContactFactory.create_batch(2, owner=rep, full_name="Acme Person")
    search_index.index_many(Contact, [contact.pk for contact in contacts])
    html = rep_client.get(RESULTS, {"q": "acme"}).content.decode()
    assert "<title>Search: acme · Rapport</title>" in html
    assert re.findall(r'<h2 id="results-\w+">([^<]+)</h2>', html) == ["Accounts", "Contacts"]
    assert titles_in(html).count("Acme") == 20 and titles_in(html).count("Acme Person") == 2
    assert 'href="?q=acme&amp;types=account">More Accounts…</a>' in html
    assert "More Contacts" not in html
    only_accounts = rep_client.get(RESULTS, {"q": "acme", "types": "account"}).content.decode()
    assert titles_in(only_accounts) == ["Acme"] * 25
    assert 'name="types" value="account" checked' in only_accounts


def test_results_page_says_when_nothing_matches_and_escapes_what_was_typed(rep_client):
    html = rep_client.get(RESULTS, {"q": "<b>zzz</b>"}).content.decode()
    assert "Nothing you can see matches “&lt;b&gt;zzz&lt;/b&gt;”." in html and "<b>zzz" not in html


def test_titles_are_escaped(rep_client, rep):
    indexed_accounts(rep, 1, name="<script>alert(1)</script> Acme")
    html = rep_client.get(SUGGESTIONS, {"q": "acme"}).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Acme" in html


def test_search_needs_a_login(client):
    for url in (RESULTS, SUGGESTIONS):
        response = client.get(url, {"q": "acme"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [RESULTS, SUGGESTIONS])
def test_query_count_does_not_grow_with_results(rep_client, rep, url):
    indexed_accounts(rep, 2)
    few = queries_for(rep_client, url, {"q": "acme"})
    indexed_accounts(rep, 40)
    contacts = ContactFactory.create_batch(30, owner=rep, full_name="Acme Person")
    search_index.index_many(Contact, [contact.pk for contact in contacts])
    assert queries_for(rep_client, url, {"q": "acme"}) == few
