"""People and custom field definitions, read through the API."""

import pytest

from rapport.records.models import FieldType

from ..factories import CustomFieldFactory, UserFactory
from .conftest import error_fields

pytestmark = pytest.mark.django_db


def test_users_list_shows_who_is_who_but_never_a_password(rep_api, rep, manager):
    response = rep_api.get("/users")
    assert response.status_code == 200
    rows = {row["username"]: row for row in response.json()["results"]}
    assert rows["rep1"] == {"id": rep.pk, "username": "rep1", "display_name": "Ray Rep", "email": rep.email,
                            "team": rep.team_id, "manager": manager.pk, "department": "", "is_active": True}
    assert "password" not in response.content.decode()


def test_users_list_pages_and_filters_on_active(rep_api, rep):
    UserFactory.create_batch(4, is_active=False)
    first = rep_api.get("/users", {"page_size": 2}).json()
    second = rep_api.get("/users", {"page_size": 2, "cursor": first["next_cursor"]}).json()
    assert {row["id"] for row in first["results"]}.isdisjoint(row["id"] for row in second["results"])
    active = rep_api.get("/users", {"is_active": "true"}).json()["results"]
    assert [row["username"] for row in active] == ["manager", "rep1"]


def test_one_user_by_id(rep_api, manager):
    assert rep_api.get(f"/users/{manager.pk}").json()["display_name"] == "Mia Manager"
    assert rep_api.get("/users/987654").status_code == 404


def test_custom_field_definitions_by_entity(rep_api):
    CustomFieldFactory(entity="account", key="region", label="Region", field_type=FieldType.CHOICE,
                       choices=["north", "south"], required=True)
    CustomFieldFactory(entity="contact", key="hobby")
    CustomFieldFactory(entity="account", key="retired", active=False)
    accounts = rep_api.get("/custom-fields", {"entity": "account"}).json()
    assert accounts == [{"id": accounts[0]["id"], "entity": "account", "key": "region", "label": "Region",
                         "field_type": "choice", "choices": ["north", "south"], "required": True, "help_text": "",
                         "position": 0}]
    assert [row["key"] for row in rep_api.get("/custom-fields").json()] == ["region", "hobby"]


def test_an_unknown_entity_is_422(rep_api):
    response = rep_api.get("/custom-fields", {"entity": "deal"})
    assert response.status_code == 422 and "entity" in error_fields(response)
