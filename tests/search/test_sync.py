"""The index follows every write: edits, deletes, restores, merges and bulk actions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.customers import services
from rapport.customers.models import Account
from rapport.records.services import record_restore, records_add_tag, records_assign_owner, records_delete
from rapport.search.models import SearchEntry
from rapport.search.selectors import search

from ..factories import AccountFactory, UserFactory
from .conftest import found

pytestmark = pytest.mark.django_db


def test_an_edit_is_found_under_its_new_values_only(rep, make_account):
    account = make_account("Acme", rep)
    services.account_update(actor=rep, account=account, data={"name": "Globex", "phone": "13800138000"},
                            version=account.version)
    assert found(rep, "acme") == []
    assert found(rep, "globex") == found(rep, "138 0013 8000") == ["Globex"]


def test_delete_removes_and_restore_brings_back(rep, make_account, make_contact):
    account = make_account("Acme", rep)
    contact = make_contact("Acme Person", rep)
    services.account_delete(actor=rep, account=account)
    services.contact_delete(actor=rep, contact=contact)
    assert found(rep, "acme") == []
    record_restore(actor=rep, record=Account.all_objects.get(pk=account.pk))
    assert found(rep, "acme") == ["Acme"]


def test_a_refused_write_leaves_the_index_as_it_was(rep, make_account):
    from rapport.core.errors import InvalidInput

    account = make_account("Acme", rep)
    with pytest.raises(InvalidInput):
        services.account_update(actor=rep, account=account, data={"name": "Globex", "email": "nope"},
                                version=account.version)
    assert found(rep, "acme") == ["Acme"] and found(rep, "globex") == []


def test_renaming_an_account_updates_its_contacts_entries(rep, make_account, make_contact):
    account = make_account("Acme", rep)
    make_contact("Li Lei", rep, account=account, title="CFO")
    services.account_update(actor=rep, account=account, data={"name": "深圳华为"}, version=account.version)
    [hit] = search(actor=rep, text="li lei").hits
    assert hit.subtitle == "CFO · 深圳华为"
    assert found(rep, "华为", types=["contact"]) == ["Li Lei"]


def test_moving_a_contact_to_another_account_changes_who_finds_it(rep, other_rep, make_account, make_contact,
                                                                 admin_user):
    mine, theirs = make_account("Mine", rep), make_account("Theirs", other_rep)
    contact = make_contact("Li Lei", admin_user, account=theirs)
    assert found(rep, "li lei") == []
    services.contact_update(actor=admin_user, contact=contact, data={"account": mine}, version=contact.version)
    assert found(rep, "li lei") == ["Li Lei"] and found(other_rep, "li lei") == []


def test_merge_bins_the_other_and_its_contacts_follow_the_kept_account(manager, rep, other_rep, admin_user,
                                                                       make_account, make_contact):
    keep, other = make_account("Acme", rep), make_account("Acme Ltd", other_rep)
    make_contact("Li Lei", admin_user, account=other)
    assert found(rep, "li lei") == []
    services.account_merge(actor=manager, keep=keep, other=other)
    assert found(manager, "acme", types=["account"]) == ["Acme"]
    [hit] = search(actor=rep, text="li lei").hits  # seen through the account `rep` owns now
    assert hit.subtitle == "Acme"


def test_bulk_owner_change_moves_records_and_their_contacts_to_the_new_owner(manager, rep, other_rep, admin_user,
                                                                             make_account, make_contact):
    accounts = [make_account(f"Acme {index}", rep) for index in range(3)]
    make_contact("Li Lei", admin_user, account=accounts[0])
    records_assign_owner(actor=manager, model=Account, ids=[a.pk for a in accounts], owner=other_rep)
    assert found(rep, "acme") == [] and found(rep, "li lei") == []
    assert len(found(other_rep, "acme", types=["account"])) == 3 and found(other_rep, "li lei") == ["Li Lei"]


def test_bulk_delete_removes_and_bulk_tag_adds(rep, make_account):
    accounts = [make_account(f"Acme {index}", rep) for index in range(3)]
    records_add_tag(actor=rep, model=Account, ids=[a.pk for a in accounts[:2]], tag_name="重点客户")
    assert sorted(found(rep, "重点")) == ["Acme 0", "Acme 1"]
    records_delete(actor=rep, model=Account, ids=[a.pk for a in accounts[1:]])
    assert found(rep, "acme") == ["Acme 0"]
    assert SearchEntry.objects.count() == 1


@pytest.mark.parametrize("action", ["assign_owner", "add_tag", "delete"])
def test_bulk_actions_index_in_bulk_not_row_by_row(manager, rep, action):
    other = UserFactory(manager=manager, team=rep.team, role=rep.role)

    def queries(count: int) -> int:
        ids = [account.pk for account in AccountFactory.create_batch(count, owner=rep)]
        with CaptureQueriesContext(connection) as captured:
            if action == "assign_owner":
                records_assign_owner(actor=manager, model=Account, ids=ids, owner=other)
            elif action == "add_tag":
                records_add_tag(actor=manager, model=Account, ids=ids, tag_name="VIP")
            else:
                records_delete(actor=manager, model=Account, ids=ids)
        return len(captured.captured_queries)

    queries(1)  # the first call also reads the actor's grants and reports
    assert queries(3) == queries(40)
