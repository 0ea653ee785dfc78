"""Records with several owner paths — a task: its assignee, its creator, its account's owner — are found by
everyone whose scope reaches them through any path, and by no one else; when a path changes hands, the
index follows."""

import pytest

from rapport.customers import services as customers
from rapport.timeline import services as timeline

from ..factories import TeamFactory, UserFactory
from .conftest import found

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(rep_role):
    return UserFactory(username="outsider", role=rep_role, team=TeamFactory(name="Sales West"))


def test_a_task_seen_only_through_its_account_is_found_by_that_accounts_owner_alone(
        rep, other_rep, outsider, admin_user, make_account):
    acme = make_account("Acme", rep)
    timeline.task_create(actor=admin_user, data={"title": "Quote for the new plant", "account": acme,
                                                 "assignee": other_rep})
    assert found(rep, "quote plant") == ["Quote for the new plant"]  # only through the account
    assert found(other_rep, "quote plant") == ["Quote for the new plant"]  # as its assignee
    assert found(outsider, "quote plant") == []


def test_when_the_account_changes_hands_its_tasks_follow_in_search(rep, other_rep, outsider, make_account,
                                                                   admin_user):
    acme = make_account("Acme", rep)
    timeline.task_create(actor=admin_user, data={"title": "Renewal call", "account": acme, "assignee": other_rep})
    customers.account_update(actor=admin_user, account=acme, data={"owner": outsider, "team": outsider.team},
                             version=acme.version)
    assert found(outsider, "renewal") == ["Renewal call"]
    assert found(rep, "renewal") == []


def test_a_task_is_found_by_its_customers_names_and_its_own_text(rep, make_account, make_contact):
    globex = make_account("Globex", rep)
    li = make_contact("Li Lei", rep, account=globex)
    timeline.task_create(actor=rep, data={"title": "Site tour", "contact": li, "description": "The 冷库 project"})
    for text in ["site tour", "冷库", "li lei", "globex"]:
        assert found(rep, text, types=["task"]) == ["Site tour"], text


def test_a_deleted_task_leaves_search_and_comes_back_with_its_restore(rep, make_account):
    from rapport.records.services import record_restore

    task = timeline.task_create(actor=rep, data={"title": "Price talk", "account": make_account("Acme", rep)})
    timeline.task_delete(actor=rep, task=task)
    assert found(rep, "price talk") == []
    record_restore(actor=rep, record=task)
    assert found(rep, "price talk") == ["Price talk"]
