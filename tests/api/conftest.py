"""Calling the API as a given user, the way a script would: JSON and a personal token."""

import json

import pytest

from rapport.directory.services import token_create

API = "/api/v1"


class ApiCaller:
    def __init__(self, client, user):
        self.client = client
        self.user = user
        _token, self.token = token_create(actor=user, user=user, name="tests")

    def _headers(self, headers: dict) -> dict:
        return {"Authorization": f"Bearer {self.token}", **headers}

    def get(self, path: str, params: dict | None = None, **headers):
        return self.client.get(f"{API}{path}", params or {}, headers=self._headers(headers))

    def post(self, path: str, body, **headers):
        return self._send("post", path, body, headers)

    def patch(self, path: str, body, **headers):
        return self._send("patch", path, body, headers)

    def delete(self, path: str, **headers):
        return self.client.delete(f"{API}{path}", headers=self._headers(headers))

    def _send(self, method: str, path: str, body, headers: dict):
        payload = body if isinstance(body, str) else json.dumps(body)
        return getattr(self.client, method)(f"{API}{path}", payload, content_type="application/json",
                                            headers=self._headers(headers))


@pytest.fixture
def api_as(client):
    return lambda user: ApiCaller(client, user)


@pytest.fixture
def rep_api(api_as, rep):
    return api_as(rep)


def error_fields(response) -> dict:
    return response.json()["error"]["fields"]
