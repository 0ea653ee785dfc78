"""Keyset pages: every record once, in order, whatever the sort, and a page deep down is as cheap as the first."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rapport.customers.models import Account

from ..factories import AccountFactory

pytestmark = pytest.mark.django_db


def walk(client, url: str) -> list[str]:
    """Follow the "Next" links from `url` to the last page; the names listed, in order."""
    names = []
    while url:
        page = client.get(url).content.decode()
        names += re.findall(r'<td data-label="Name"><a href="[^"]+">([^<]+)</a>', page)
        following = re.search(r'<a rel="next" href="([^"]+)"', page)
        url = following and reverse("customers:account_list") + following.group(1).replace("&amp;", "&")
    return names


@pytest.mark.parametrize("sort", ["-updated_at", "updated_at", "name"])
def test_paging_through_a_sorted_list_shows_every_account_once_in_order(rep_client, rep, sort, monkeypatch):
    monkeypatch.setattr("rapport.records.views.PER_PAGE", 3)
    now = timezone.now()
    for number in range(8):
        account = AccountFactory(owner=rep, name=f"Account {number}")
        # two by two on the same second: the id decides between them
        Account.objects.filter(pk=account.pk).update(updated_at=now - timedelta(hours=number // 2))
    expected = list(Account.objects.order_by(
        *(["-updated_at", "-id"] if sort == "-updated_at" else ["updated_at", "id"] if sort == "updated_at"
          else ["name", "id"])).values_list("name", flat=True))
    assert walk(rep_client, f"{reverse('customers:account_list')}?sort={sort}") == expected


def crafted(payload) -> str:
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


CRAFTED_CURSORS = [
    ["after", 2, "Acme", False, "not-an-id"],
    ["after", "2", "Acme", False, 7],
    ["after", 2, "Acme", "no", 7],
    ["after", 2, ["Acme"], False, 7],
    ["after", 2, "Acme", False, 2**64],
    ["after", 2, "Acme", False, -1],
    ["sideways", 2, "Acme", False, 7],
    ["after", 2, "Acme", False],
]


@pytest.mark.parametrize("payload", CRAFTED_CURSORS)
def test_a_crafted_cursor_is_refused_clearly_in_pages_and_the_api(rep_client, rep, payload):
    from rapport.directory.services import token_create

    AccountFactory(owner=rep, name="Acme")
    page = rep_client.get(reverse("customers:account_list"), {"cursor": crafted(payload)})
    assert page.status_code == 400 and "This page link is not valid." in page.content.decode()

    _token, raw = token_create(actor=rep, user=rep, name="script")
    answer = rep_client.get("/api/v1/accounts", {"cursor": crafted(payload)},
                            headers={"Authorization": f"Bearer {raw}"})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_cursor"
    assert answer.json()["error"]["fields"]["cursor"] == ["This page link is not valid."]


def test_a_cursor_with_a_value_beyond_what_the_column_holds_is_refused(rep_client, rep):
    AccountFactory(owner=rep, name="Acme", employees=10)
    cursor = crafted(["after", 2, 2**70, False, 7])
    page = rep_client.get(reverse("customers:account_list"), {"cursor": cursor, "sort": "employees"})
    assert page.status_code == 400 and "This page link is not valid." in page.content.decode()
