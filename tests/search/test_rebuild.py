"""`rapport rebuild_search_index` and the demo data: records written in bulk are searchable too."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from rapport.customers.models import Account, Contact
from rapport.directory.models import User
from rapport.search.models import SearchEntry
from rapport.timeline.models import Task

from ..factories import AccountFactory, ContactFactory
from .conftest import found

pytestmark = pytest.mark.django_db


def rebuild(*args) -> str:
    out = io.StringIO()
    call_command("rebuild_search_index", *args, stdout=out)
    return out.getvalue()


def test_rebuild_indexes_records_written_behind_the_services_back(rep):
    AccountFactory.create_batch(5, owner=rep, name="Acme", indexed=False)
    ContactFactory(owner=rep, full_name="张伟", mobile_phone="13800138000", mobile_phone_e164="+8613800138000",
                   indexed=False)
    assert found(rep, "acme") == []
    output = rebuild("--batch-size", "2")
    assert "account: 2 / 5" in output and "account: 4 / 5" in output and "account: 5 / 5" in output
    assert "contact: 1 / 1" in output and "Search index rebuilt: 5 account, 1 contact" in output
    assert len(found(rep, "acme")) == 5
    assert found(rep, "8000") == ["张伟"]


def test_rebuild_replaces_stale_entries_and_drops_those_of_gone_records(rep):
    kept, binned = AccountFactory(owner=rep, name="Acme"), AccountFactory(owner=rep, name="Binned")
    rebuild()
    Account.objects.filter(pk=kept.pk).update(name="Globex")
    Account.objects.filter(pk=binned.pk).update(deleted_at=timezone.now())
    rebuild()
    assert found(rep, "globex") == ["Globex"] and found(rep, "acme") == [] and found(rep, "binned") == []
    assert SearchEntry.objects.count() == 1


def test_rebuild_of_one_type(rep):
    AccountFactory(owner=rep, name="Acme", indexed=False)
    ContactFactory(owner=rep, full_name="Acme Person", indexed=False)
    assert "contact" not in rebuild("--type", "account")
    assert found(rep, "acme") == ["Acme"]


def test_rebuild_refuses_an_unknown_type():
    with pytest.raises(CommandError, match="Unknown type: spaceship"):
        rebuild("--type", "spaceship")


def test_demo_data_is_searchable_straight_away():
    call_command("demo", stdout=io.StringIO())
    admin, rep1 = User.objects.get(username="admin"), User.objects.get(username="rep1")
    assert SearchEntry.objects.count() == Account.objects.count() + Contact.objects.count() + Task.objects.count()
    assert any("华为" in title for title in found(admin, "华为", types=["account"]))
    own = set(Account.objects.filter(owner=rep1).values_list("name", flat=True))
    assert set(found(rep1, "有限公司", types=["account"], limit=50)) <= own
