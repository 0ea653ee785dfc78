"""Contacts through the API: the same contract as accounts, plus the account they work for."""

import pytest

from rapport.customers.models import Contact

from ..factories import AccountFactory, ContactFactory
from .conftest import error_fields

pytestmark = pytest.mark.django_db


def test_create_a_contact_at_an_account_i_can_see(rep_api, rep):
    account = AccountFactory(owner=rep, name="Acme")
    response = rep_api.post("/contacts", {"full_name": "张伟", "account": account.pk, "mobile_phone": "138 0013 8000",
                                          "birthday": "1980-02-29"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["account"] == account.pk and body["owner"] == rep.pk
    assert body["mobile_phone_e164"] == "+8613800138000" and body["birthday"] == "1980-02-29"


def test_an_account_i_cannot_see_is_refused_without_revealing_it(rep_api, other_rep):
    hidden = AccountFactory(owner=other_rep, name="Hidden Co")
    response = rep_api.post("/contacts", {"full_name": "Li Na", "account": hidden.pk})
    assert response.status_code == 422 and "account" in error_fields(response)
    assert "Hidden Co" not in response.content.decode()
    assert not Contact.objects.exists()


def test_bad_email_and_phone_are_reported_by_name(rep_api):
    response = rep_api.post("/contacts", {"full_name": "Li Na", "email": "li@", "work_phone": "123"})
    assert response.status_code == 422
    assert {"email", "work_phone"} <= set(error_fields(response))


def test_list_is_scoped_and_filters_by_account(rep_api, rep, other_rep):
    acme, other = AccountFactory(owner=rep), AccountFactory(owner=rep)
    ContactFactory(owner=rep, full_name="At Acme", account=acme)
    ContactFactory(owner=rep, full_name="Elsewhere", account=other)
    ContactFactory(owner=other_rep, full_name="Not mine", account=AccountFactory(owner=other_rep))
    response = rep_api.get("/contacts", {"account": acme.pk})
    assert [row["full_name"] for row in response.json()["results"]] == ["At Acme"]
    everyone = rep_api.get("/contacts", {"sort": "-full_name"})
    assert [row["full_name"] for row in everyone.json()["results"]] == ["Elsewhere", "At Acme"]


def test_unknown_contact_filter_is_422(rep_api):
    response = rep_api.get("/contacts", {"industry": "Retail"})
    assert response.status_code == 422 and "industry" in error_fields(response)


def test_patch_honours_if_match_and_delete_bins_the_contact(rep_api, rep):
    contact = ContactFactory(owner=rep, full_name="Li Na")
    path = f"/contacts/{contact.pk}"
    assert rep_api.get(path)["ETag"] == '"1"'
    changed = rep_api.patch(path, {"marketing_consent": True, "consent_method": "web_form"}, **{"If-Match": '"1"'})
    assert changed.status_code == 200 and changed["ETag"] == '"2"'
    assert changed.json()["consent_at"] is not None
    assert rep_api.patch(path, {"title": "CEO"}, **{"If-Match": '"1"'}).status_code == 412
    assert rep_api.delete(path).status_code == 204
    assert rep_api.get(path).status_code == 404
    assert Contact.all_objects.get(pk=contact.pk).deleted_at is not None


def test_another_reps_contact_is_404(rep_api, other_rep):
    contact = ContactFactory(owner=other_rep)
    path = f"/contacts/{contact.pk}"
    assert [rep_api.get(path).status_code, rep_api.patch(path, {"title": "x"}).status_code,
            rep_api.delete(path).status_code] == [404, 404, 404]
