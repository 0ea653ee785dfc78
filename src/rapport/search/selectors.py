"""Searching the index: one SQL statement for all types, each type limited and ranked on its own.

A user finds only records within their scope: the scope of each type's permission module becomes
a condition of the index query itself (owner and team ids), the same ids `access.visible_to` uses,
so even a rep who owns 1% of the records gets their matches instead of an empty top-N.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from rapport import access
from rapport.access.scopes import Scope
from rapport.core.errors import InvalidInput

from . import backends
from .backends import TypeScope
from .registry import SearchType, search_types, type_for_model
from .tokens import parse_query

MAX_LIMIT = 50


@dataclass(frozen=True)
class Hit:
    type: str
    id: int
    title: str
    subtitle: str
    url: str


@dataclass(frozen=True)
class HitGroup:
    type: str
    label: str | Promise
    hits: list[Hit]
    limit: int

    @property
    def may_have_more(self) -> bool:
        return len(self.hits) >= self.limit


@dataclass(frozen=True)
class SearchResults:
    text: str
    groups: list[HitGroup] = field(default_factory=list)
    searched: bool = False  # False when the text had nothing to search for (blank, one letter)

    @property
    def hits(self) -> list[Hit]:
        return [hit for group in self.groups for hit in group.hits]


def search_types_named(names: Sequence[str] | None) -> list[SearchType]:
    """The registered types with these names, all of them for none; InvalidInput names unknown ones."""
    if not names:
        return list(search_types)
    unknown = [name for name in names if name not in search_types]
    if unknown:
        raise InvalidInput(fields={"types": [
            _("Unknown type “%(type)s”; choose from: %(types)s.")
            % {"type": name, "types": ", ".join(t.name for t in search_types)}
            for name in unknown
        ]})
    return [search_type for search_type in search_types if search_type.name in names]


def type_scope(actor, search_type: SearchType) -> TypeScope | None:
    """What `actor` may find of this type, as owner and team ids; None when nothing."""
    scope = access.granted_scope(actor, f"{search_type.permission_module}.view")
    if scope == Scope.NONE:
        return None
    if scope == Scope.ALL:
        return TypeScope(search_type.name, None)
    owners = list(actor.visible_owner_ids())
    teams: tuple[int, ...] = ()
    if scope == Scope.TEAM and actor.team_id:
        # As access.scope_filter: the team's records, and those of anyone in the team.
        owners += [pk for pk in actor.team_member_ids() if pk not in owners]
        teams = (actor.team_id,)
    return TypeScope(search_type.name, tuple(owners), teams)


# Up to this many records found, a list's quick search hands the database their ids; beyond, the query.
FEW_MATCHES = 5000


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """The records of `queryset` (of an indexed type) that a search for `text` finds — every field, phone
    fragments, Chinese substrings — for a list's quick search; all of them while the text has nothing to
    search for yet (one Latin letter, typed into a box that searches as you type).

    The index is asked first, for at most FEW_MATCHES + 1 ids. A specific search (a name, a company, a
    number) finds fewer, and the list reads just those records, however the database would have guessed
    their number: given the index query itself, PostgreSQL guessed 5,000 matches for `company33364` (7 of
    a million contacts) and walked all million contacts in name order, testing each (11.7 s). A word in
    more records than that stays a sub-query, and the list reads its order until the page is full."""
    query = parse_query(text)
    if not query:
        return queryset
    sql, params = backends.backend().ids_matching(query, type_for_model(queryset.model).name)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT object_id FROM ({sql}) AS found LIMIT %s", [*params, FEW_MATCHES + 1])
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) <= FEW_MATCHES:
        return queryset.filter(pk__in=ids)
    return queryset.filter(pk__in=RawSQL(sql, params))


def search(*, actor, text: str, types: Sequence[str] | None = None, limit: int = 10) -> SearchResults:
    """The records matching `text` that `actor` may view, grouped by type, at most `limit` of each."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    chosen = search_types_named(types)
    query = parse_query(text)
    if not query:
        return SearchResults(text=text)
    scopes = [scope for search_type in chosen if (scope := type_scope(actor, search_type)) is not None]
    if not scopes:
        return SearchResults(text=text, searched=True)
    sql, params = backends.backend().compile(query, scopes, limit, window=backends.RANK_WINDOW)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    hits: dict[str, list[Hit]] = {scope.type: [] for scope in scopes}
    for _position, type_name, object_id, title, subtitle, url, *_rank in rows:
        hits[type_name].append(Hit(type=type_name, id=object_id, title=title, subtitle=subtitle, url=url))
    groups = [HitGroup(type=name, label=search_types.get(name).label, hits=found, limit=limit)
              for name, found in hits.items() if found]
    return SearchResults(text=text, groups=groups, searched=True)
