"""Sixteen clients edit different fields of one account at once, without If-Match: each edits the current
version, so none is refused and every change is kept."""

import threading

import pytest

pytestmark = pytest.mark.fault

CHANGES = {"legal_name": "Shared Holdings Ltd", "industry": "Retail", "website": "https://shared.example.com",
           "billing_province": "Zhejiang", "billing_city": "Hangzhou", "billing_street": "1 West Lake Road",
           "billing_postcode": "310000", "shipping_province": "Jiangsu", "shipping_city": "Suzhou",
           "shipping_street": "2 Canal Street", "shipping_postcode": "215000", "external_id": "ERP-42",
           "email": "office@shared.example.com", "other_email": "buying@shared.example.com",
           "billing_country": "CN", "shipping_country": "CN"}


def test_sixteen_concurrent_patches_of_different_fields_without_if_match_all_land(postgres_database, served):
    url, _connections = postgres_database
    server = served(url)
    status, _headers, account = server.request("POST", "/api/v1/accounts", {"name": "Shared account"})
    assert status == 201
    start = threading.Barrier(len(CHANGES))
    answers = {}

    def edit(field: str) -> None:
        start.wait()
        answers[field] = server.request("PATCH", f"/api/v1/accounts/{account['id']}", {field: CHANGES[field]})[0]

    editors = [threading.Thread(target=edit, args=(field,)) for field in CHANGES]
    for editor in editors:
        editor.start()
    for editor in editors:
        editor.join()
    final = server.request("GET", f"/api/v1/accounts/{account['id']}")[2]
    print(f"\n{len(CHANGES)} concurrent PATCHes without If-Match: {sorted(answers.values())}; "
          f"version {final['version']}")
    assert answers == dict.fromkeys(CHANGES, 200)
    assert {field: final[field] for field in CHANGES} == CHANGES
    assert final["version"] == account["version"] + len(CHANGES)
