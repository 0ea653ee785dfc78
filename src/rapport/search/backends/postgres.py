"""PostgreSQL: tsquery over the GIN-indexed vectors of migration 0002, the scope included.

The tokens are already tokenized, so queries are written as tsquery literals (`'acme':* & 'x'`),
which PostgreSQL takes verbatim, and the documents pass through to_tsvector('simple', …) unchanged.
The vectors also carry the entry's scope as lexemes ("zcontacto12": owner 12, "zcontactt3": team 3),
so a scope is one more AND in the tsquery, which GIN evaluates from its rarest entries.
For all records, the planner may instead walk the type's newest entries (type, id) and test each:
the cheap way for a word that is in most of them.
"""

from collections.abc import Sequence

from ..tokens import AllOf, AnyOf, Phrase, Query, Term
from . import RANK_WINDOW, TypeScope

TOKENS = "e.tokens_vector"  # to_tsvector('simple', tokens) and the scope lexemes, see migration 0002
CHARS = "e.chars_vector"


def _quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _node(node) -> str:
    if isinstance(node, Term):
        return _quoted(node.text) + (":*" if node.prefix else "")
    if isinstance(node, Phrase):
        return "(" + " <-> ".join(_quoted(term) for term in node.terms) + ")"
    if isinstance(node, AnyOf):
        return "(" + " | ".join(_node(option) for option in node.options) + ")"
    if isinstance(node, AllOf):
        return "(" + " & ".join(_node(part) for part in node.parts) + ")"
    raise TypeError(node)


def tsqueries(query: Query) -> tuple[str, str]:
    """The tsquery over `tokens` and the one over `chars` ("" where the query has no such part)."""
    tokens = " & ".join(_node(part) for part in query.tokens)
    chars = " & ".join(_quoted(char.text) for char in query.chars)
    return tokens, chars


def _scope(scope: TypeScope) -> str:
    """The scope as lexemes of the vectors ("" for all records): GIN intersects them with the terms."""
    if scope.owner_ids is None:
        return ""
    holders = [_quoted(f"z{scope.type}o{int(pk)}") for pk in scope.owner_ids]
    holders += [_quoted(f"z{scope.type}t{int(pk)}") for pk in scope.team_ids]
    return "(" + " | ".join(holders) + ")"


def compile(query: Query, scopes: Sequence[TypeScope], limit: int, window: int = RANK_WINDOW) -> tuple[str, list]:
    tokens, chars = tsqueries(query)
    ranked_vector, ranked_query = ("tokens_vector", tokens) if tokens else ("chars_vector", chars)
    selects, params = [], []
    for position, scope in enumerate(scopes):
        # The id bound lets a backward scan of the primary key start at the type's newest entry: without it,
        # PostgreSQL may walk every newer entry of other types first (all 100,000 tasks before a contact).
        where = "e.type = %s AND e.id <= (SELECT max(n.id) FROM search_searchentry AS n WHERE n.type = %s)"
        where_params = [scope.type, scope.type]
        holders = _scope(scope)
        if tokens:
            where += f" AND {TOKENS} @@ %s::tsquery"
            where_params.append(f"({tokens}) & {holders}" if holders else tokens)
        if chars:
            where += f" AND {CHARS} @@ %s::tsquery"
            where_params.append(f"({chars}) & {holders}" if holders and not tokens else chars)
        selects.append(
            f"(SELECT {position} AS position, m.type, m.object_id, m.title, m.subtitle, m.url, "
            f"-ts_rank(m.{ranked_vector}, %s::tsquery, 1) AS score, m.updated_at, m.id "
            f"FROM (SELECT e.id, e.type, e.object_id, e.title, e.subtitle, e.url, e.updated_at, e.{ranked_vector} "
            f"FROM search_searchentry AS e WHERE {where} ORDER BY e.id DESC LIMIT %s) AS m "
            "ORDER BY score, m.updated_at DESC, m.id DESC LIMIT %s)"
        )
        params += [ranked_query, *where_params, int(window), int(limit)]
    sql = ("SELECT * FROM (" + " UNION ALL ".join(selects) + ") AS hits "
           "ORDER BY position, score, updated_at DESC, id DESC")
    return sql, params


def ids_matching(query: Query, type_name: str) -> tuple[str, list]:
    """SQL for the ids of the records of one type whose entries match `query`: a list's quick search, which
    applies its own scope and order."""
    tokens, chars = tsqueries(query)
    where, params = ["e.type = %s"], [type_name]
    if tokens:
        where.append(f"{TOKENS} @@ %s::tsquery")
        params.append(tokens)
    if chars:
        where.append(f"{CHARS} @@ %s::tsquery")
        params.append(chars)
    return f"SELECT e.object_id FROM search_searchentry AS e WHERE {' AND '.join(where)}", params
