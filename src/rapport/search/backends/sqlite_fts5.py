"""SQLite: one FTS5 MATCH per type over the contentless `search_fts` table (migration 0002).

The type and the scope are tokens of the FTS `scope` column ("zycontact", "zcontacto12" for owner 12,
"zcontactt3" for team 3), so they are part of the MATCH: FTS5 intersects them with the query terms,
and a rep who owns 1% of a million records pays for the intersection, not for every match of a
common word.
"""

from collections.abc import Sequence

from ..tokens import AllOf, AnyOf, Phrase, Query, Term
from . import RANK_WINDOW, TypeScope

# bm25 column weights: tokens, chars, scope (not searched when ranking).
RANK = "bm25(f.search_fts, 1.0, 0.5, 0.0)"


def entries_inserted(cursor, first_id: int, last_id: int) -> None:
    """Copy the entries just inserted with ids first_id…last_id into the FTS table (migration 0005)."""
    cursor.execute("INSERT INTO search_fts(rowid, tokens, chars, scope) "
                   "SELECT id, tokens, chars, 'zy' || type || ' ' || holders FROM search_searchentry "
                   "WHERE id >= %s AND id <= %s", [first_id, last_id])


def index_rebuilt(cursor) -> None:
    """Merge the full-text index into one segment after a rebuild. A bulk build leaves FTS5 part of the way
    through merging its largest segments, and FTS5 carries that merge on a step at a time in every later
    write: each batch of 500 contacts imported into a million contacts' index paid 0.5–1 s of it."""
    cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _node(node) -> str:
    if isinstance(node, Term):
        return _quoted(node.text) + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return _quoted(" ".join(node.terms))
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(_node(option) for option in node.options) + ")"
    if isinstance(node, AllOf):
        return "(" + " AND ".join(_node(part) for part in node.parts) + ")"
    raise TypeError(node)


def _scope(scope: TypeScope) -> str:
    return "scope : (" + " OR ".join(_quoted(token) for token in scope.tokens()) + ")"


def terms_expression(query: Query) -> str:
    parts = []
    if query.tokens:
        parts.append("tokens : (" + " AND ".join(_node(part) for part in query.tokens) + ")")
    if query.chars:
        parts.append("chars : (" + " AND ".join(_quoted(char.text) for char in query.chars) + ")")
    return " AND ".join(parts)


def compile(query: Query, scopes: Sequence[TypeScope], limit: int, window: int = RANK_WINDOW) -> tuple[str, list]:
    """Per type: the window of newest matches within scope, then bm25 of those, then the best `limit`;
    when the window is full, the newest `limit` of it instead, unranked (see the package's docstring).

    bm25 reads how many rows hold each phrase of its MATCH, so it runs in a second MATCH that leaves
    out the type token, which lists the whole table (60 ms for a million contacts, every query). That
    second MATCH keeps an owner scope (small lists, and they let FTS5 skip) and is bounded to the
    window's rowids. The join order is forced (CROSS JOIN): one pass over those matches, each looked up
    in the window; the other way round, FTS5 would run the whole MATCH again for every row of it.
    """
    terms = terms_expression(query)
    windows, selects, params = [], [], []
    for position, scope in enumerate(scopes):
        windows.append(f"window{position} AS MATERIALIZED (SELECT rowid AS id FROM search_fts "
                       "WHERE search_fts MATCH %s ORDER BY rowid DESC LIMIT %s)")
        params += [f"{terms} AND {_scope(scope)}", int(window)]
    for position, scope in enumerate(scopes):
        window_name = f"window{position}"
        full = f"(SELECT count(*) FROM {window_name}) >= %s"
        columns = f"{position} AS position, e.type, e.object_id, e.title, e.subtitle, e.url"
        # The LIMIT in `ranked` changes nothing but keeps SQLite from flattening it into the join with
        # the entries, which would look up the entry of every match.
        selects.append(
            f"SELECT * FROM (SELECT {columns}, ranked.score, e.updated_at, e.id FROM ("
            f"SELECT f.rowid AS id, {RANK} AS score FROM search_fts AS f CROSS JOIN {window_name} "
            f"ON {window_name}.id = f.rowid WHERE NOT {full} AND f.search_fts MATCH %s "
            f"AND f.rowid BETWEEN (SELECT min(id) FROM {window_name}) AND (SELECT max(id) FROM {window_name}) "
            "LIMIT %s) AS ranked JOIN search_searchentry AS e ON e.id = ranked.id "
            "ORDER BY ranked.score, e.updated_at DESC, e.id DESC LIMIT %s)"
        )
        ranking_match = terms if scope.owner_ids is None else f"{terms} AND {_scope(scope)}"
        params += [int(window), ranking_match, int(window), int(limit)]
        selects.append(
            f"SELECT * FROM (SELECT {columns}, 0.0 AS score, e.updated_at, e.id FROM {window_name} "
            f"JOIN search_searchentry AS e ON e.id = {window_name}.id WHERE {full} "
            "ORDER BY e.updated_at DESC, e.id DESC LIMIT %s)"
        )
        params += [int(window), int(limit)]
    sql = ("WITH " + ", ".join(windows) + " " + " UNION ALL ".join(selects)
           + " ORDER BY position, score, updated_at DESC, id DESC")
    return sql, params


def ids_matching(query: Query, type_name: str) -> tuple[str, list]:
    """SQL for the ids of the records of one type whose entries match `query`: a list's quick search, which
    applies its own scope and order."""
    return ("SELECT e.object_id FROM search_fts AS f JOIN search_searchentry AS e ON e.id = f.rowid "
            "WHERE f.search_fts MATCH %s AND e.type = %s"), [terms_expression(query), type_name]
