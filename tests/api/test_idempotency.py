"""A POST retried with the same Idempotency-Key acts once and answers the same."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rapport.core.models import IdempotencyKey
from rapport.customers.models import Account, Contact

from .conftest import error_fields

pytestmark = pytest.mark.django_db

KEY = {"Idempotency-Key": "4c1c7d1e-order-42"}


def test_a_replay_returns_the_first_result_without_creating_again(rep_api):
    first = rep_api.post("/accounts", {"name": "Acme", "tags": ["vip"]}, **KEY)
    again = rep_api.post("/accounts", {"name": "Acme", "tags": ["vip"]}, **KEY)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Account.objects.count() == 1


def test_a_replay_does_not_answer_with_later_changes(rep_api):
    first = rep_api.post("/accounts", {"name": "Acme"}, **KEY).json()
    rep_api.patch(f"/accounts/{first['id']}", {"name": "Acme Group"})
    assert rep_api.post("/accounts", {"name": "Acme"}, **KEY).json()["name"] == "Acme"


def test_the_same_key_with_a_different_body_is_refused(rep_api):
    rep_api.post("/accounts", {"name": "Acme"}, **KEY)
    response = rep_api.post("/accounts", {"name": "Other Co"}, **KEY)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert list(Account.objects.values_list("name", flat=True)) == ["Acme"]


def test_the_same_key_on_another_endpoint_is_refused(rep_api):
    rep_api.post("/accounts", {"name": "Acme"}, **KEY)
    response = rep_api.post("/contacts", {"full_name": "Acme"}, **KEY)
    assert response.status_code == 422 and response.json()["error"]["code"] == "idempotency_key_reused"
    assert not Contact.objects.exists()


def test_keys_belong_to_their_user(api_as, rep, other_rep):
    mine = api_as(rep).post("/accounts", {"name": "Acme", "allow_duplicates": True}, **KEY)
    theirs = api_as(other_rep).post("/accounts", {"name": "Acme", "allow_duplicates": True}, **KEY)
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert theirs.json()["owner"] == other_rep.pk


def test_a_refused_request_is_not_remembered_so_it_can_be_corrected(rep_api):
    refused = rep_api.post("/accounts", {"name": "Acme", "email": "nope"}, **KEY)
    assert refused.status_code == 422
    assert not IdempotencyKey.objects.exists()
    corrected = rep_api.post("/accounts", {"name": "Acme", "email": "info@acme.example"}, **KEY)
    assert corrected.status_code == 201
    assert rep_api.post("/accounts", {"name": "Acme", "email": "info@acme.example"}, **KEY).json() == corrected.json()


def test_without_a_key_every_post_acts(rep_api):
    rep_api.post("/accounts", {"name": "Acme"})
    rep_api.post("/accounts", {"name": "Acme", "allow_duplicates": True})
    assert Account.objects.count() == 2


def test_an_overlong_key_is_refused(rep_api):
    response = rep_api.post("/accounts", {"name": "Acme"}, **{"Idempotency-Key": "k" * 256})
    assert response.status_code == 422 and "Idempotency-Key" in error_fields(response)
    assert not Account.objects.exists()


def test_a_key_is_kept_for_a_day_then_may_be_used_afresh(rep_api):
    first = rep_api.post("/accounts", {"name": "Acme"}, **KEY).json()
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    again = rep_api.post("/accounts", {"name": "Acme", "allow_duplicates": True}, **KEY)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert again.json()["id"] != first["id"]
    assert IdempotencyKey.objects.count() == 1  # the day-old key is gone, the new one stored
