"""Schemathesis hooks for Rapport's API gate (.ci/api-fuzz): one check stricter than the built-in ones.

The built-in positive-data check lets a request the document allows be answered 422, because some rules
cannot be written in a schema (an id must name a record you may see; a phone number must be one a numbering
plan knows). Rapport names each such property in its document with `x-server-rule`. This check holds the
server to that: a request the document allows may be refused with 422 only for properties so named.
"""

import schemathesis

SERVER_RULE = "x-server-rule"


@schemathesis.check
def refused_only_for_stated_server_rules(ctx, response, case):
    if response.status_code != 422 or case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    fields = (_json(response).get("error") or {}).get("fields") or {}
    allowed = _server_ruled_properties(case)
    unstated = sorted(name for name in fields if name.split(".")[0] not in allowed)
    if unstated:
        raise AssertionError(f"A request the document allows was refused for {', '.join(unstated)}, "
                             f"whose rules the document does not state (nor name with {SERVER_RULE}).")
    return None


def _json(response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _server_ruled_properties(case) -> set[str]:
    document = case.operation.schema.raw_schema
    content = case.operation.definition.raw.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    while "$ref" in schema:
        schema = _resolve(document, schema["$ref"])
    return {name for name, prop in schema.get("properties", {}).items() if SERVER_RULE in prop}


def _resolve(document: dict, reference: str) -> dict:
    node = document
    for part in reference.removeprefix("#/").split("/"):
        node = node[part]
    return node
