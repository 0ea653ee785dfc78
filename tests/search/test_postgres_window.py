"""PostgreSQL's two ways to a type's window of matches (rapport.search.backends.postgres), in small:
a probe of 3 entries, dense from 2 matches among them, a walk of 5 entries."""

import pytest
from django.db import connection

from rapport.search.backends import postgres

from .conftest import found

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend's own ways")


@pytest.fixture(autouse=True)
def small_walks(monkeypatch):
    monkeypatch.setattr(postgres, "PROBE", 3)
    monkeypatch.setattr(postgres, "DENSE", 2)
    monkeypatch.setattr(postgres, "WALK", 5)


def test_a_word_in_most_of_the_scope_is_walked_from_the_newest_records(rep, other_rep, make_account):
    names = [f"Acme {index}" for index in range(8)]
    for name in names:
        make_account(name, rep)
    make_account("Acme of someone else", other_rep)
    assert sorted(found(rep, "acme")) == sorted(names[-5:])


def test_a_rare_word_is_found_however_old_its_record(rep, other_rep, make_account):
    make_account("Zephyr Trading", rep)
    make_account("Zephyr Elsewhere", other_rep)
    for index in range(8):
        make_account(f"Acme {index}", rep)
    assert found(rep, "zephyr") == ["Zephyr Trading"]


def test_a_record_given_to_someone_else_leaves_the_walk_of_its_former_owner(rep, other_rep, admin_user,
                                                                             make_account):
    from rapport.customers import services

    accounts = [make_account(f"Acme {index}", rep) for index in range(4)]
    newest = accounts[-1]
    services.account_update(actor=admin_user, account=newest, data={"owner": other_rep}, version=newest.version)
    assert "Acme 3" not in found(rep, "acme")
    assert found(other_rep, "acme") == ["Acme 3"]


def test_the_holders_follow_the_entries_written_and_deleted(rep, make_account):
    from rapport.search.services import rebuild

    account = make_account("Acme", rep)
    holders = ("SELECT holder FROM search_holder "
               "WHERE entry_id = (SELECT id FROM search_searchentry WHERE type = 'account' AND object_id = %s)")
    with connection.cursor() as cursor:
        cursor.execute(holders, [account.pk])
        assert sorted(row[0] for row in cursor.fetchall()) == sorted(
            [f"zaccounto{rep.pk}", f"zaccountt{rep.team_id}"])
        rebuild(types=["account"])
        cursor.execute("SELECT count(*) FROM search_holder WHERE entry_id NOT IN (SELECT id FROM search_searchentry)")
        assert cursor.fetchone()[0] == 0
