"""The one place that decides who may see and do what.

A role grants, per module and action, a scope: none / own / team / all. "own" covers records the
user owns and those of everyone who reports to them, directly or not.
"""

from django.apps import apps
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from rapport.core.errors import NotFound, PermissionDenied
from rapport.core.remembered import remembered

from .registry import module_for_model
from .scopes import Scope
from .signals import access_refused


def granted_scope(actor, permission: str) -> Scope:
    """The scope `actor` holds for a permission such as "customers.edit"."""
    if not _is_active(actor):
        return Scope.NONE
    if actor.is_superuser:
        return Scope.ALL
    return _scopes_of(actor).get(permission, Scope.NONE)


def _is_active(actor) -> bool:
    return actor is not None and actor.is_authenticated and actor.is_active


def _scopes_of(actor) -> dict[str, Scope]:
    if not actor.role_id:
        return {}
    return remembered(actor, "scopes", lambda: _granted_to_role(actor.role_id))


def _granted_to_role(role_id: int) -> dict[str, Scope]:
    from .models import Grant

    return {f"{module}.{action}": Scope(scope)
            for module, action, scope in Grant.objects.filter(role_id=role_id).values_list("module", "action", "scope")}


def scope_filter(actor, permission: str, model) -> Q | None:
    """A Q selecting the rows of `model` within the actor's scope; None means no rows at all."""
    _, scoped = module_for_model(model)
    if scoped.rule is not None:
        return scoped.rule(actor) if _is_active(actor) else None
    scope = granted_scope(actor, permission)
    if scope == Scope.NONE:
        return None
    if scope == Scope.ALL:
        return Q()
    owners = actor.visible_owner_ids()
    condition = Q()
    for path in scoped.owner_paths:
        condition |= Q(**{f"{path}_id__in": owners})
    if scope == Scope.TEAM and actor.team_id:
        for path in scoped.team_paths:
            condition |= Q(**{f"{path}_id": actor.team_id})
        for path in scoped.owner_paths:
            condition |= Q(**{f"{path}__team_id": actor.team_id})
    return condition


def visible_to(actor, queryset: QuerySet, action: str = "view") -> QuerySet:
    """Narrow `queryset` to what `actor` may `action`; every selector starts here."""
    module, _ = module_for_model(queryset.model)
    condition = scope_filter(actor, f"{module.name}.{action}", queryset.model)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition) if condition else queryset


def covers_through(actor, model, path: str, record) -> bool:
    """Does the actor's view scope on `model` cover every row of it whose `path` ("account") is `record`, because
    one of its owner or team paths runs through `path` to someone or a team within that scope?"""
    module, scoped = module_for_model(model)
    scope = granted_scope(actor, f"{module.name}.view")
    if scope in (Scope.ALL, Scope.NONE):
        return scope == Scope.ALL
    prefix = f"{path}__"
    owners = set(actor.visible_owner_ids())
    for owner_path in scoped.owner_paths:
        if owner_path.startswith(prefix):
            rest = owner_path.removeprefix(prefix)
            if _follow(record, f"{rest}_id") in owners:
                return True
            owner = _follow(record, rest)
            if scope == Scope.TEAM and actor.team_id and owner is not None and owner.team_id == actor.team_id:
                return True
    return scope == Scope.TEAM and bool(actor.team_id) and any(
        _follow(record, f"{team_path.removeprefix(prefix)}_id") == actor.team_id
        for team_path in scoped.team_paths if team_path.startswith(prefix))


def pointing_at_visible(actor, type_field: str, id_field: str, models, *, covered=frozenset()) -> Q:
    """A Q over rows that point at a record by content type and id (a timeline entry at its activity): those
    pointing at a record of `models` the actor may view, or at a record of any other type. Each pointer is
    checked by an indexed lookup of its record, row by row as they are read, so a page of 25 costs 25 —
    except for the `covered` models, whose every record the caller knows the actor may view."""
    content_types = apps.get_model("contenttypes", "ContentType").objects
    checked = {}  # content type -> the records of it the actor may view (None: none of them)
    for model in models:
        module, _scoped = module_for_model(model)
        scope = granted_scope(actor, f"{module.name}.view")
        if scope != Scope.ALL and model not in covered:
            records = visible_to(actor, model.objects.filter(pk=OuterRef(id_field))) if scope != Scope.NONE else None
            checked[content_types.get_for_model(model).pk] = records
    if not checked:
        return Q()  # no condition at all: the query stays the plain indexed read
    shown = Q(**{f"{type_field}__isnull": True}) | ~Q(**{f"{type_field}__in": list(checked)})
    for content_type, records in checked.items():
        if records is not None:
            shown |= Q(**{type_field: content_type}) & Q(Exists(records))
    return shown


def get_visible(actor, queryset: QuerySet, pk, action: str = "view"):
    """The row `pk` of `queryset` if `actor` may `action` it; NotFound otherwise (refusals are logged)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    record = visible_to(actor, queryset, action).filter(pk=pk).first()
    if record is None:
        out_of_scope = queryset.filter(pk=pk).first()
        if out_of_scope is not None:
            module, _scoped = module_for_model(queryset.model)
            require(actor, f"{module.name}.{action}", out_of_scope, hide=True)
        raise NotFound()
    return record


def can(actor, permission: str, obj: Model | None = None) -> bool:
    """May `actor` do `permission` ("customers.edit") — on `obj`, or on something, when None."""
    if obj is not None and (rule := module_for_model(type(obj))[1].rule) is not None:
        return _is_active(actor) and type(obj)._default_manager.filter(rule(actor), pk=obj.pk).exists()
    scope = granted_scope(actor, permission)
    if scope == Scope.NONE:
        return False
    if obj is None or scope == Scope.ALL:
        return True
    _, scoped = module_for_model(type(obj))
    return _within_scope(actor, scope, scoped, obj)


def _within_scope(actor, scope: Scope, scoped, obj) -> bool:
    owners = set(actor.visible_owner_ids())
    for path in scoped.owner_paths:
        owner_id = _follow(obj, f"{path}_id")
        if owner_id is not None and owner_id in owners:
            return True
        if scope == Scope.TEAM and actor.team_id:
            owner = _follow(obj, path)
            if owner is not None and owner.team_id == actor.team_id:
                return True
    if scope == Scope.TEAM and actor.team_id:
        return any(_follow(obj, f"{path}_id") == actor.team_id for path in scoped.team_paths)
    return False


def holders_of(obj) -> tuple[list[int], list[int]]:
    """The people and the teams through whom `obj` is within someone's scope: the ids its owner paths and
    team paths end at, each once. Search copies them into its index to apply scopes without a join."""
    _, scoped = module_for_model(type(obj))
    owners = [_follow(obj, f"{path}_id") for path in scoped.owner_paths]
    teams = [_follow(obj, f"{path}_id") for path in scoped.team_paths]
    return _present(owners), _present(teams)


def _present(ids: list) -> list[int]:
    return [pk for pk in dict.fromkeys(ids) if pk is not None]


def _follow(obj, path: str):
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


def require(actor, permission: str, obj: Model | None = None, *, hide: bool = False) -> None:
    """Raise unless `can(...)`; with `hide`, refuse as NotFound so existence does not leak."""
    if can(actor, permission, obj):
        return
    access_refused.send(sender=None, actor=actor, permission=permission, obj=obj)
    raise NotFound() if hide else PermissionDenied()


def may_assign_owner(actor, permission: str, owner) -> bool:
    """May `actor` make `owner` the owner of a record — only someone inside their own scope."""
    scope = granted_scope(actor, permission)
    if scope == Scope.ALL:
        return True
    if scope == Scope.TEAM and actor.team_id and owner.team_id == actor.team_id:
        return True
    return scope != Scope.NONE and owner.pk in actor.visible_owner_ids()


def may_assign_team(actor, permission: str, team) -> bool:
    scope = granted_scope(actor, permission)
    return scope == Scope.ALL or (scope != Scope.NONE and team.pk == actor.team_id)
