"""The API describes itself, and its docs work with no internet."""

import re

import pytest

from .conftest import API

pytestmark = pytest.mark.django_db


def test_openapi_document_is_complete_and_every_reference_resolves(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert set(paths["/api/v1/accounts"]) == {"get", "post"}
    assert set(paths["/api/v1/accounts/{record_id}"]) == {"get", "patch", "delete"}
    assert set(paths["/api/v1/contacts"]) == {"get", "post"}
    assert set(paths["/api/v1/contacts/{record_id}"]) == {"get", "patch", "delete"}
    assert {"/api/v1/users", "/api/v1/users/{user_id}", "/api/v1/custom-fields"} <= set(paths)
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert operation["responses"], f"{method} {path} documents no response"
            assert operation["security"], f"{method} {path} is not protected"
    components = schema["components"]["schemas"]
    for reference in re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', response.content.decode()):
        assert reference in components
    patch_headers = {p["name"] for p in paths["/api/v1/accounts/{record_id}"]["patch"]["parameters"]}
    post_headers = {p["name"] for p in paths["/api/v1/contacts"]["post"]["parameters"]}
    assert "If-Match" in patch_headers and "Idempotency-Key" in post_headers
    account_in = components["AccountIn"]
    assert account_in["additionalProperties"] is False and account_in["required"] == ["name"]


def test_docs_load_only_our_own_static_files(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://", html)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset


def _operations(schema: dict):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_declares_its_refusals_with_the_error_body(client):
    """Defect 7 of the outside attack: most operations did not declare 400/401/404/412/422."""
    schema = client.get(f"{API}/openapi.json").json()
    error_body = {"$ref": "#/components/schemas/ErrorOut"}
    for name, operation in _operations(schema):
        declared = operation["responses"]
        for status in ("401", "422"):
            assert declared[status]["content"]["application/json"]["schema"] == error_body, (name, status)
        if "{" in name:
            assert "404" in declared, name
        if name.startswith("PATCH "):
            assert {"400", "412"} <= set(declared), name
        if name.startswith("GET ") and any(p["name"] == "cursor" for p in operation.get("parameters", ())):
            assert "400" in declared, name
    assert "409" in schema["paths"]["/api/v1/tasks/{task_id}/complete"]["post"]["responses"]
    assert "409" in schema["paths"]["/api/v1/accounts"]["post"]["responses"]


def test_the_document_states_the_rules_the_server_enforces(client):
    schema = client.get(f"{API}/openapi.json").json()
    components = schema["components"]["schemas"]
    for component, name in (("AccountIn", "name"), ("ContactIn", "full_name"), ("TaskIn", "title"),
                            ("ActivityIn", "subject")):
        rules = components[component]["properties"][name]
        assert rules["minLength"] == 1 and rules["pattern"] == r"\S" and rules["maxLength"] == 200, component
    account = components["AccountPatch"]["properties"]
    assert account["rating"]["enum"] == ["hot", "warm", "cold", ""]
    assert account["billing_postcode"]["maxLength"] == 20
    assert account["owner"]["x-server-rule"] and account["phone"]["x-server-rule"]
    assert "x-server-rule" not in account["billing_city"]
    patch = {p["name"]: p for p in schema["paths"]["/api/v1/accounts/{record_id}"]["patch"]["parameters"]}
    if_match = patch["If-Match"]
    assert if_match["required"] is False and if_match["schema"]["type"] == "string"  # null is not allowed
    assert not re.fullmatch(if_match["schema"]["pattern"], "null") and re.fullmatch(if_match["schema"]["pattern"],
                                                                                   '"3", W/"2"')
    for component in ("ActivityIn", "ActivityPatch"):  # a time or left out, never null: the server refuses null
        occurred_at = components[component]["properties"]["occurred_at"]
        assert occurred_at["type"] == "string" and occurred_at["format"] == "date-time" and "anyOf" not in occurred_at
    cursor = {p["name"]: p for p in schema["paths"]["/api/v1/accounts"]["get"]["parameters"]}["cursor"]
    assert cursor["schema"]["anyOf"][0]["pattern"] == "^[A-Za-z0-9_-]+$"


@pytest.mark.parametrize(("collection", "field"), [("/accounts", "name"), ("/contacts", "full_name"),
                                                   ("/tasks", "title"), ("/activities", "subject")])
@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_required_name_is_refused_as_the_document_says(rep_api, collection, field, blank):
    response = rep_api.post(collection, {field: blank})
    assert response.status_code == 422 and field in response.json()["error"]["fields"], response.content


def test_if_match_null_is_malformed_not_a_version(rep_api, rep):
    from tests.factories import AccountFactory

    account = AccountFactory(owner=rep)
    response = rep_api.patch(f"/accounts/{account.pk}", {"industry": "Retail"}, **{"If-Match": "null"})
    assert response.status_code == 400 and "If-Match" in response.json()["error"]["fields"]


def test_an_address_under_the_api_that_names_nothing_is_a_json_404(rep_api):
    for path in ("/accounts/null,null", "/no-such-collection"):
        response = rep_api.get(path)
        assert response.status_code == 404 and response["Content-Type"].startswith("application/json"), path
        assert response.json()["error"]["code"] == "not_found"
