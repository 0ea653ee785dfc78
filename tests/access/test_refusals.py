"""Refused access leaves a trace for administrators, on every path that refuses."""

from rapport.access.scopes import Scope
from rapport.audit.models import SecurityEvent, SecurityEventKind
from rapport.customers import selectors

from ..factories import AccountFactory, ContactFactory, UserFactory, role_with


def refusals():
    return SecurityEvent.objects.filter(kind=SecurityEventKind.ACCESS_REFUSED)


def test_opening_another_reps_account_is_not_found_and_recorded(rep_client, rep, other_rep):
    account = AccountFactory(owner=other_rep)

    response = rep_client.get(f"/customers/accounts/{account.pk}/")

    assert response.status_code == 404
    refusal = refusals().get()
    assert refusal.user == rep
    assert refusal.detail == f"customers.view customers.Account #{account.pk}"


def test_editing_a_record_one_may_only_view_is_recorded_as_an_edit_refusal(client, other_rep):
    reader = UserFactory(role=role_with("Reader", view=Scope.ALL))
    contact = ContactFactory(owner=other_rep)
    client.force_login(reader)

    assert client.get(f"/customers/contacts/{contact.pk}/").status_code == 200
    assert client.get(f"/customers/contacts/{contact.pk}/edit").status_code == 404
    assert refusals().get().detail == f"customers.edit customers.Contact #{contact.pk}"


def test_a_record_that_does_not_exist_is_not_a_refusal(rep_client):
    assert rep_client.get("/customers/accounts/999999/").status_code == 404
    assert not refusals().exists()


def test_opening_a_visible_record_takes_one_query(rep, django_assert_num_queries):
    account = AccountFactory(owner=rep)
    selectors.account_get(actor=rep, account_id=account.pk)

    with django_assert_num_queries(1):
        assert selectors.account_get(actor=rep, account_id=account.pk) == account
    assert not refusals().exists()
