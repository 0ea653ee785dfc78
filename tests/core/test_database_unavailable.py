"""While the database cannot be reached, every kind of client is told to try again shortly."""

import socket

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from rapport.directory.services import token_create


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_down(transactional_db):
    """The database becomes unreachable for real: PostgreSQL on a port nobody listens on, SQLite in a folder
    that does not exist. Put back afterwards."""
    saved_settings = {**connection.settings_dict, "OPTIONS": {**connection.settings_dict["OPTIONS"]}}
    open_connection = connection.connection
    if connection.vendor == "postgresql":
        connection.close()
        connection.close_pool()
        connection.settings_dict["PORT"] = unused_port()
        connection.settings_dict["OPTIONS"]["pool"] = {**saved_settings["OPTIONS"]["pool"], "timeout": 1}
    else:
        # An in-memory test database must stay open to be kept: set it aside instead of closing it.
        connection.connection = None
        connection.settings_dict["NAME"] = "/nonexistent-folder/rapport.sqlite3"
    yield
    if connection.vendor == "postgresql":
        connection.close()
        connection.close_pool()
    else:
        connection.connection = open_connection
    connection.settings_dict.clear()
    connection.settings_dict.update(saved_settings)


@pytest.fixture
def browser(rep):
    """A logged-in browser: its session cookie is all it sends; reading the session needs the database."""
    client = Client(raise_request_exception=False)
    client.force_login(rep)
    return client


@pytest.fixture
def token(rep):
    return token_create(actor=rep, user=rep, name="script")[1]


def test_the_api_answers_503_json_with_retry_after(token, database_down):
    response = Client(raise_request_exception=False).get(
        "/api/v1/accounts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "unavailable"
    assert "Try again" in response.json()["error"]["message"]


def test_an_htmx_request_gets_503_json(browser, database_down):
    response = browser.get("/customers/accounts/", headers={"HX-Request": "true"})
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "unavailable"


def test_a_page_says_try_again_shortly_in_the_browsers_language(browser, database_down):
    with translation.override("en"):  # put English back after the request switched to Chinese
        response = browser.get("/customers/accounts/", headers={"Accept-Language": "zh-hans"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "<h1>" in page and "Server Error" not in page
    assert "数据库" in page


def test_other_server_errors_reach_api_clients_as_json(token, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a defect")

    monkeypatch.setattr("rapport.records.endpoints.paginate", broken)
    response = Client(raise_request_exception=False).get(
        "/api/v1/accounts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"


def test_a_lost_database_while_an_api_schema_reads_a_relation_counts_as_unavailable(rep, database_down):
    from pydantic import ValidationError

    from rapport.core.errors import is_database_unavailable
    from rapport.customers.models import Account
    from rapport.customers.schemas import AccountOut

    created = Account(pk=1, name="Acme", owner=rep, version=1)  # as just saved; its tags are read lazily
    with pytest.raises(ValidationError) as wrapped:
        AccountOut.model_validate(created)
    assert is_database_unavailable(wrapped.value)
    assert not is_database_unavailable(ValueError("a defect"))
