"""The authorization matrix: every demo role × every record collection of the API and every record page ×
list / get / create / update / delete, on a record inside the caller's scope and one outside it.

Collections are read from the API's own document (a path with POST beside `/{id}` with GET, PATCH and
DELETE), their models from the access registry, so a module that registers a new record type is in the
matrix without editing this file. The expected answer comes from the role's grants (none / own / team /
all) and who owns the record, not from the code under test.
"""

import pytest
from django.apps import apps
from django.test import Client

from rapport import access
from rapport.access.scopes import Scope
from rapport.directory import demo
from rapport.directory.models import Team, User

from .conftest import API, ApiCaller

pytestmark = pytest.mark.django_db

DEMO_LOGINS = [username for username, *_rest in demo.DEMO_USERS]
REFUSED = {403, 404}


def record_collections(document: dict) -> list[tuple[str, str, type]]:
    """(collection path, item path, model) for each record collection the document describes."""
    scoped = {apps.get_model(model.label).__name__: apps.get_model(model.label)
              for module in access.modules for model in module.models}
    found = []
    for path, operations in document["paths"].items():
        items = [other for other in document["paths"] if other.startswith(path + "/{") and other.count("/") ==
                 path.count("/") + 1]
        if "post" not in operations or not items or {"get", "patch", "delete"} - set(document["paths"][items[0]]):
            continue
        schema_name = operations["post"]["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
        model = scoped.get(schema_name.rsplit("/", 1)[1].removesuffix("Out"))
        if model is not None:
            found.append((path.removeprefix(API), items[0].removeprefix(API).split("/{")[0], model))
    return found


def create_body(document: dict, operation: dict, marker: str) -> dict:
    schema = document["components"]["schemas"][
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    return {name: f"{marker}" for name in schema.get("required", ())}


def editable_text_field(document: dict, item_path: str) -> str:
    """A plain text property of the record's PATCH body, to change and then check."""
    operation = next(ops["patch"] for path, ops in document["paths"].items()
                     if path.startswith(API + item_path + "/{") and "patch" in ops)
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    properties = document["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    return next(name for name, prop in properties.items()
                if prop.get("type") == "string" and not {"enum", "pattern", "anyOf", "x-server-rule"} & set(prop))


def owned_by(model, pk: int, user: User) -> None:
    """Make `user` the record's owner along every owner path that is a direct relation to a user."""
    _module, scoped = access.module_for_model(model)
    direct = [path for path in scoped.owner_paths if "__" not in path]
    model.all_objects.filter(pk=pk).update(**{path: user for path in direct},
                                           **{path: user.team for path in scoped.team_paths if "__" not in path})


def expected_scope(user: User, permission: str) -> Scope:
    if user.is_superuser:
        return Scope.ALL
    grant = user.role.grants.filter(module=permission.split(".")[0], action=permission.split(".")[1]).first()
    return Scope(grant.scope) if grant else Scope.NONE


def allowed(user: User, permission: str, inside: bool) -> bool:
    scope = expected_scope(user, permission)
    return scope == Scope.ALL or (inside and scope != Scope.NONE)


@pytest.fixture
def people():
    context: dict = {}
    demo.generate(context)
    users = context["users"]
    # Someone no demo user manages or shares a team with: their records are outside every non-admin scope.
    outsider_team = Team.objects.create(name="Elsewhere", department="Elsewhere")
    users["outsider"] = User.objects.create(username="outsider", team=outsider_team, department="Elsewhere")
    return users


def test_every_role_reaches_exactly_the_records_its_grants_cover(client, people):
    document = client.get(f"{API}/openapi.json").json()
    collections = record_collections(document)
    assert {path for path, _item, _model in collections} >= {"/accounts", "/contacts", "/activities", "/tasks"}
    admin = ApiCaller(Client(), people["admin"])
    cells = 0
    for path, item_path, model in collections:
        module, _scoped = access.module_for_model(model)
        post = document["paths"][API + path]["post"]
        field = editable_text_field(document, item_path)
        for login in DEMO_LOGINS:
            user = people[login]
            caller = ApiCaller(Client(), user)
            for inside in (True, False):
                owner = user if inside else people["outsider"]
                created = admin.post(path, create_body(document, post, f"Matrix {login} {inside}"))
                assert created.status_code == 201, created.content
                pk = created.json()["id"]
                owned_by(model, pk, owner)
                url = f"{item_path}/{pk}"
                may = {action: allowed(user, f"{module.name}.{action}", inside)
                       for action in ("view", "edit", "delete")}

                listed = caller.get(path, {"page_size": 200})
                if listed.status_code == 200:
                    assert (pk in [row["id"] for row in listed.json()["results"]]) == may["view"], (path, login)
                else:
                    assert listed.status_code == 403 and not may["view"]
                got = caller.get(url)
                assert got.status_code == (200 if may["view"] else 404), (url, login, inside)
                page = _page_status(model, pk, user)
                if page is not None:
                    assert page == (200 if may["view"] else 404), (model.__name__, login, inside)

                before = admin.get(url).json()[field]
                changed = caller.patch(url, {field: "Changed by the matrix"})
                after = admin.get(url).json()[field]
                if may["edit"]:
                    assert changed.status_code == 200 and after == "Changed by the matrix", (url, login, inside)
                else:
                    assert changed.status_code in REFUSED and after == before, (url, login, inside)

                deleted = caller.delete(url)
                if may["delete"]:
                    assert deleted.status_code == 204 and admin.get(url).status_code == 404, (url, login)
                else:
                    assert deleted.status_code in REFUSED and admin.get(url).status_code == 200, (url, login)
                cells += 5

            made = caller.post(path, create_body(document, post, f"Own {login}"))
            may_create = expected_scope(user, f"{module.name}.create") != Scope.NONE
            assert made.status_code == (201 if may_create else 403), (path, login, made.content)
            cells += 1
    print(f"authorization matrix: {len(DEMO_LOGINS)} roles × {len(collections)} collections, {cells} cells")
    assert cells == len(DEMO_LOGINS) * len(collections) * 11


def _page_status(model, pk: int, user: User) -> int | None:
    record = model.all_objects.get(pk=pk)
    if not hasattr(record, "get_absolute_url"):
        return None
    browser = Client()
    browser.force_login(user)
    return browser.get(record.get_absolute_url()).status_code
