"""Who may call the API: personal tokens, the browser's session with CSRF, and the token command."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rapport.customers.models import Account
from rapport.directory.models import ApiToken
from rapport.directory.services import token_revoke

from .conftest import API, ApiCaller

pytestmark = pytest.mark.django_db


def test_a_valid_token_authenticates(rep_api):
    response = rep_api.get("/accounts")
    assert response.status_code == 200
    assert ApiToken.objects.get(user=rep_api.user).last_used_at is not None


def test_reads_with_a_token_used_within_the_minute_write_nothing(rep_api):
    rep_api.get("/accounts")
    first_use = ApiToken.objects.get(user=rep_api.user).last_used_at

    with CaptureQueriesContext(connection) as queries:
        assert rep_api.get("/accounts").status_code == 200
    writes = [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert writes == []
    assert ApiToken.objects.get(user=rep_api.user).last_used_at == first_use


def test_a_read_with_a_token_succeeds_while_the_database_refuses_writes(rep, transactional_db):
    caller = ApiCaller(Client(), rep)
    refuse, allow = (("SET default_transaction_read_only = on", "SET default_transaction_read_only = off")
                     if connection.vendor == "postgresql" else ("PRAGMA query_only = ON", "PRAGMA query_only = OFF"))
    with connection.cursor() as cursor:
        cursor.execute(refuse)
    try:
        response = caller.get("/accounts")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(allow)
    assert response.status_code == 200
    assert ApiToken.objects.get(user=rep).last_used_at is None  # recorded next time the database allows it


@pytest.mark.parametrize("authorization", [None, "Bearer rpt_nonsense_value", "Bearer not-even-a-token"])
def test_no_or_a_wrong_token_is_401(client, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get(f"{API}/accounts", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_revoked_token_is_401(rep_api, rep):
    token_revoke(actor=rep, token_id=ApiToken.objects.get(user=rep).pk)
    response = rep_api.get("/accounts")
    assert response.status_code == 401


def test_the_token_of_a_deactivated_user_is_401(rep_api, rep):
    rep.is_active = False
    rep.save(update_fields=["is_active"])
    assert rep_api.get("/accounts").status_code == 401


def test_browser_session_must_send_the_csrf_token_to_write(rep):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(rep)
    body = json.dumps({"name": "Acme"})
    assert browser.get(f"{API}/accounts").status_code == 200

    refused = browser.post(f"{API}/accounts", body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["message"]
    assert not Account.objects.exists()

    assert browser.get(f"{API}/docs").status_code == 200
    csrf = browser.cookies["csrftoken"].value
    created = browser.post(f"{API}/accounts", body, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert created.status_code == 201
    assert Account.objects.get().owner == rep


def test_token_command_prints_a_token_that_authenticates(client, rep):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", rep.username, "--name", "nightly export", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert raw.startswith(ApiToken.PREFIX)
    assert ApiToken.objects.get(user=rep).name == "nightly export"
    assert "not shown again" in err.getvalue()
    response = client.get(f"{API}/users/{rep.pk}", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["username"] == rep.username


def test_token_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="nobody"):
        call_command("token", "create", "nobody", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_token_command_refuses_a_deactivated_user(rep):
    rep.is_active = False
    rep.save(update_fields=["is_active"])
    with pytest.raises(CommandError):
        call_command("token", "create", rep.username, stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_token_command_makes_an_inbound_mail_token_only_for_an_administrator(rep, admin_user):
    with pytest.raises(CommandError, match="administrator"):
        call_command("token", "create", rep.username, "--inbound-mail", stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("token", "create", admin_user.username, "--inbound-mail", stdout=out, stderr=io.StringIO())
    assert ApiToken.objects.get().purpose == ApiToken.Purpose.INBOUND_MAIL
    assert Client().get(f"{API}/accounts", headers={"Authorization": f"Bearer {out.getvalue().strip()}"}
                        ).status_code == 401
