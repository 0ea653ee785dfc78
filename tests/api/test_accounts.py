"""Accounts through the API: scope, filters, pages, validation, ETag/If-Match, duplicates."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.customers.models import Account
from rapport.records.models import FieldType

from ..factories import AccountFactory, CustomFieldFactory, TeamFactory, UserFactory
from .conftest import error_fields

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


# --- scope ------------------------------------------------------------------------------------


def test_list_shows_only_my_accounts(rep_api, rep, other_rep):
    AccountFactory(owner=rep, name="Mine")
    AccountFactory(owner=other_rep, name="Theirs")
    assert names(rep_api.get("/accounts")) == ["Mine"]


def test_another_reps_account_is_404_even_by_guessing_its_id(rep_api, other_rep):
    theirs = AccountFactory(owner=other_rep, name="Secret Co")
    path = f"/accounts/{theirs.pk}"
    for response in [rep_api.get(path), rep_api.patch(path, {"name": "Mine now"}), rep_api.delete(path)]:
        assert response.status_code == 404
        assert "Secret Co" not in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.name == "Secret Co" and theirs.deleted_at is None


def test_manager_sees_the_accounts_of_their_reps(api_as, manager, rep):
    AccountFactory(owner=rep, name="Rep's customer")
    assert names(api_as(manager).get("/accounts")) == ["Rep's customer"]


# --- one record -------------------------------------------------------------------------------


def test_get_returns_every_field_with_ids_tags_and_custom_values(rep_api, rep):
    parent = AccountFactory(owner=rep, name="Group")
    account = AccountFactory(owner=rep, name="Branch", parent=parent, phone="0755 2878 0808",
                             custom={"tier": "gold"})
    account.tags.create(name="vip")
    response = rep_api.get(f"/accounts/{account.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == account.pk and body["name"] == "Branch"
    assert body["owner"] == rep.pk and body["team"] == rep.team_id and body["parent"] == parent.pk
    assert body["tags"] == ["vip"] and body["custom"] == {"tier": "gold"}
    assert body["version"] == 1 and body["created_at"] and body["updated_at"]
    assert response["ETag"] == '"1"'


def test_delete_moves_the_account_to_the_recycle_bin(rep_api, rep):
    account = AccountFactory(owner=rep)
    response = rep_api.delete(f"/accounts/{account.pk}")
    assert response.status_code == 204
    assert rep_api.get(f"/accounts/{account.pk}").status_code == 404
    assert Account.all_objects.get(pk=account.pk).deleted_by == rep


# --- filters, sort, pages ---------------------------------------------------------------------


def test_list_filters_with_the_same_syntax_as_the_html_list(rep_api, rep):
    AccountFactory(owner=rep, name="Acme Retail", industry="Retail", employees=10)
    AccountFactory(owner=rep, name="Big Bank", industry="Banking", employees=5000)
    AccountFactory(owner=rep, name="Acme Bank", industry="Banking", employees=50)
    assert names(rep_api.get("/accounts", {"industry": "banking"})) == ["Acme Bank", "Big Bank"]
    assert names(rep_api.get("/accounts", {"name__startswith": "acme", "employees__gte": "20"})) == ["Acme Bank"]
    assert names(rep_api.get("/accounts", {"q": "bank", "sort": "-employees"})) == ["Big Bank", "Acme Bank"]


def test_list_filters_on_custom_fields(rep_api, rep):
    CustomFieldFactory(entity="account", key="region", field_type=FieldType.CHOICE, choices=["north", "south"])
    AccountFactory(owner=rep, name="Northern", custom={"region": "north"})
    AccountFactory(owner=rep, name="Southern", custom={"region": "south"})
    assert names(rep_api.get("/accounts", {"cf_region": "south"})) == ["Southern"]


@pytest.mark.parametrize(("params", "field"), [
    ({"colour": "red"}, "colour"), ({"sort": "password"}, "sort"), ({"employees__gte": "many"}, "employees__gte"),
    ({"name__gte": "b"}, "name__gte"), ({"cursor": "not a cursor"}, "cursor"),
])
def test_unknown_or_bad_filters_are_a_structured_422(rep_api, params, field):
    response = rep_api.get("/accounts", params)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert field in error_fields(response)


def test_cursor_pages_walk_forward_and_back_without_gaps(rep_api, rep):
    for index in range(7):
        AccountFactory(owner=rep, name=f"Company {index}")
    first = rep_api.get("/accounts", {"page_size": 3}).json()
    assert first["count"] == 7 and first["count_is_exact"] is True and first["previous_cursor"] is None
    second = rep_api.get("/accounts", {"page_size": 3, "cursor": first["next_cursor"]}).json()
    third = rep_api.get("/accounts", {"page_size": 3, "cursor": second["next_cursor"]}).json()
    seen = [row["name"] for page in (first, second, third) for row in page["results"]]
    assert seen == [f"Company {index}" for index in range(7)]
    assert third["next_cursor"] is None
    back = rep_api.get("/accounts", {"page_size": 3, "cursor": third["previous_cursor"]}).json()
    assert back["results"] == second["results"]


def test_page_size_is_bounded(rep_api):
    response = rep_api.get("/accounts", {"page_size": 10000})
    assert response.status_code == 422
    assert "page_size" in error_fields(response)


def test_list_query_count_does_not_grow_with_rows(rep_api, rep):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = rep_api.get("/accounts")
        assert response.status_code == 200
        return len(captured.captured_queries)

    for index in range(5):
        AccountFactory(owner=rep, parent=AccountFactory(owner=rep)).tags.create(name=f"a{index}")
    queries()  # the token's first use is recorded once; later reads within the minute write nothing
    few = queries()
    for index in range(25):
        AccountFactory(owner=rep, parent=AccountFactory(owner=rep)).tags.create(name=f"b{index}")
    assert queries() == few


# --- create and validation --------------------------------------------------------------------


def test_create_gives_the_record_to_the_caller(rep_api, rep):
    response = rep_api.post("/accounts", {"name": "深圳华为", "phone": "0755 2878 0808", "tags": ["vip", "asia"],
                                          "annual_revenue": "1234.50"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"] == rep.pk and body["team"] == rep.team_id
    assert body["phone_e164"] == "+8675528780808" and body["tags"] == ["asia", "vip"]
    assert body["annual_revenue"] == "1234.50" and body["version"] == 1
    assert Account.objects.get(pk=body["id"]).name == "深圳华为"


def test_invalid_fields_are_reported_by_name_and_nothing_is_saved(rep_api):
    response = rep_api.post("/accounts", {"name": "Acme", "email": "not-an-email", "phone": "12", "website": "x"})
    assert response.status_code == 422
    assert {"email", "phone", "website"} <= set(error_fields(response))
    assert error_fields(response)["phone"] == ["Enter a valid phone number, e.g. +86 138 0013 8000."]
    assert not Account.objects.exists()


def test_wrong_types_and_missing_name_are_reported_by_name(rep_api):
    response = rep_api.post("/accounts", {"employees": "many"})
    assert response.status_code == 422
    assert {"name", "employees"} <= set(error_fields(response))


@pytest.mark.parametrize("field", ["id", "version", "created_at", "history", "deleted_at", "phone_e164", "colour"])
def test_unknown_and_system_fields_are_refused_not_ignored(rep_api, rep, field):
    account = AccountFactory(owner=rep)
    created = rep_api.post("/accounts", {"name": "Acme", field: 1})
    patched = rep_api.patch(f"/accounts/{account.pk}", {field: 1})
    for response in (created, patched):
        assert response.status_code == 422
        assert field in error_fields(response)
    assert not Account.objects.filter(name="Acme").exists()
    account.refresh_from_db()
    assert account.version == 1


def test_owner_and_team_are_given_by_id_and_must_be_in_scope(rep_api, agent, other_rep, rep):
    outsider = rep_api.post("/accounts", {"name": "Acme", "owner": other_rep.pk})
    assert outsider.status_code == 422 and "owner" in error_fields(outsider)
    other_team = rep_api.post("/accounts", {"name": "Acme", "team": TeamFactory(name="Elsewhere").pk})
    assert other_team.status_code == 422 and "team" in error_fields(other_team)
    nobody = rep_api.post("/accounts", {"name": "Acme", "owner": 987654})
    assert nobody.status_code == 422 and error_fields(nobody)["owner"] == ["There is no user with this id."]
    assert not Account.objects.exists()
    mine = rep_api.post("/accounts", {"name": "Acme", "owner": rep.pk, "team": rep.team_id})
    assert mine.status_code == 201


def test_a_parent_the_caller_cannot_see_is_refused_without_revealing_it(rep_api, other_rep):
    hidden = AccountFactory(owner=other_rep, name="Hidden Group")
    response = rep_api.post("/accounts", {"name": "Branch", "parent": hidden.pk})
    assert response.status_code == 422 and "parent" in error_fields(response)
    assert "Hidden Group" not in response.content.decode()


def test_possible_duplicates_are_409_until_confirmed(rep_api, rep):
    existing = AccountFactory(owner=rep, name="Acme", email="info@acme.example")
    response = rep_api.post("/accounts", {"name": "Acme Ltd", "email": "INFO@acme.example"})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "possible_duplicates" and error["duplicates"] == [{"id": existing.pk, "name": "Acme"}]
    confirmed = rep_api.post("/accounts", {"name": "Acme Ltd", "email": "INFO@acme.example", "allow_duplicates": True})
    assert confirmed.status_code == 201
    assert Account.objects.count() == 2


def test_custom_fields_are_set_and_validated(rep_api):
    CustomFieldFactory(entity="account", key="region", field_type=FieldType.CHOICE, choices=["north", "south"])
    CustomFieldFactory(entity="account", key="founded", field_type=FieldType.DATE)
    created = rep_api.post("/accounts", {"name": "Acme", "custom": {"region": "north", "founded": "1999-04-01"}})
    assert created.status_code == 201
    assert created.json()["custom"] == {"region": "north", "founded": "1999-04-01"}
    patched = rep_api.patch(f"/accounts/{created.json()['id']}", {"custom": {"region": "south"}})
    assert patched.json()["custom"] == {"region": "south", "founded": "1999-04-01"}
    refused = rep_api.post("/accounts", {"name": "Other", "custom": {"region": "west", "founded": "soon", "x": 1}})
    assert refused.status_code == 422
    assert {"custom.region", "custom.founded", "custom.x"} <= set(error_fields(refused))


def test_a_required_custom_field_must_be_given(rep_api):
    CustomFieldFactory(entity="account", key="vat_number", required=True)
    response = rep_api.post("/accounts", {"name": "Acme"})
    assert response.status_code == 422 and "custom.vat_number" in error_fields(response)


# --- update, ETag and If-Match ----------------------------------------------------------------


def test_patch_with_the_current_etag_changes_only_the_fields_sent(rep_api, rep):
    account = AccountFactory(owner=rep, name="Acme", industry="Retail", custom={"tier": "gold"})
    etag = rep_api.get(f"/accounts/{account.pk}")["ETag"]
    response = rep_api.patch(f"/accounts/{account.pk}", {"name": "Acme Group"}, **{"If-Match": etag})
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    body = response.json()
    assert body["name"] == "Acme Group" and body["industry"] == "Retail" and body["custom"] == {"tier": "gold"}


def test_patch_with_a_stale_etag_is_412_and_changes_nothing(rep_api, rep):
    account = AccountFactory(owner=rep, name="Acme")
    assert rep_api.patch(f"/accounts/{account.pk}", {"name": "First edit"}, **{"If-Match": '"1"'}).status_code == 200
    stale = rep_api.patch(f"/accounts/{account.pk}", {"name": "Second edit"}, **{"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "stale" and stale.json()["error"]["current_version"] == 2
    account.refresh_from_db()
    assert account.name == "First edit"


def test_patch_without_if_match_edits_the_current_version(rep_api, rep):
    account = AccountFactory(owner=rep, name="Acme", version=4)
    response = rep_api.patch(f"/accounts/{account.pk}", {"rating": "hot"})
    assert response.status_code == 200 and response.json()["version"] == 5


@pytest.mark.parametrize("if_match", ["3", "null", '"1', '"1" "2"', '"1",'])
def test_a_malformed_if_match_is_a_clear_400(rep_api, rep, if_match):
    account = AccountFactory(owner=rep, name="Acme")
    response = rep_api.patch(f"/accounts/{account.pk}", {"name": "Changed"}, **{"If-Match": if_match})
    assert response.status_code == 400
    assert "If-Match" in error_fields(response)
    account.refresh_from_db()
    assert account.name == "Acme"


@pytest.mark.parametrize("if_match", ['W/"1"', '"one"', '"7"', '"2", "3"', '""'])
def test_an_if_match_naming_no_current_version_is_412_whatever_its_spelling(rep_api, rep, if_match):
    account = AccountFactory(owner=rep, name="Acme")
    response = rep_api.patch(f"/accounts/{account.pk}", {"name": "Changed"}, **{"If-Match": if_match})
    assert response.status_code == 412
    assert response.json()["error"]["current_version"] == 1
    account.refresh_from_db()
    assert account.name == "Acme"


def test_an_if_match_list_naming_the_current_version_edits_it(rep_api, rep):
    account = AccountFactory(owner=rep, name="Acme")
    response = rep_api.patch(f"/accounts/{account.pk}", {"name": "Changed"}, **{"If-Match": '"7", "1"'})
    assert response.status_code == 200 and response.json()["name"] == "Changed"


def test_patch_validates_like_create(rep_api, rep):
    account = AccountFactory(owner=rep, name="Acme")
    response = rep_api.patch(f"/accounts/{account.pk}", {"name": "", "email": "nope", "owner": None})
    assert response.status_code == 422
    assert {"name", "email", "owner"} <= set(error_fields(response))


def test_patch_replaces_tags(rep_api, rep):
    account = AccountFactory(owner=rep)
    account.tags.create(name="old")
    response = rep_api.patch(f"/accounts/{account.pk}", {"tags": ["new", "vip"]})
    assert response.json()["tags"] == ["new", "vip"] and response.json()["version"] == 2


def test_an_owner_from_another_team_is_refused_on_patch(rep_api, rep):
    account = AccountFactory(owner=rep)
    stranger = UserFactory(team=TeamFactory(name="Elsewhere"))
    response = rep_api.patch(f"/accounts/{account.pk}", {"owner": stranger.pk})
    assert response.status_code == 422 and "owner" in error_fields(response)


def test_a_website_without_its_scheme_is_completed_by_the_api_and_the_form_alike(rep_api, rep_client):
    CustomFieldFactory(entity="account", key="shop", field_type=FieldType.URL)
    created = rep_api.post("/accounts", {"name": "Acme", "website": "acme.example", "custom": {"shop": "shop.acme"}})
    assert created.json()["website"] == "https://acme.example"
    assert created.json()["custom"] == {"shop": "https://shop.acme"}
    rep_client.post("/customers/accounts/new", {"name": "Globex", "website": "globex.example", "lifecycle_stage":
                                                "prospect", "currency": "CNY", "cf_shop": "shop.globex"})
    globex = Account.objects.get(name="Globex")
    assert (globex.website, globex.custom) == ("https://globex.example", {"shop": "https://shop.globex"})
    refused_api = rep_api.post("/accounts", {"name": "Initech", "website": "x"})
    refused_form = rep_client.post("/customers/accounts/new", {"name": "Initech", "website": "x",
                                                               "lifecycle_stage": "prospect", "currency": "CNY"})
    assert error_fields(refused_api)["website"] == ["Enter a valid URL."]
    assert "Enter a valid URL." in refused_form.content.decode()
    assert not Account.objects.filter(name="Initech").exists()
