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
