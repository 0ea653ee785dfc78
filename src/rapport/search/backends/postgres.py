"""PostgreSQL: a scope's newest entries read in key order and tested, or the GIN index's first matches.

The tokens are already tokenized, so queries are written as tsquery literals (`'acme':* & 'x'`),
which PostgreSQL takes verbatim, and the documents pass through to_tsvector('simple', …) unchanged.

How a type's window of at most RANK_WINDOW matches is found is decided by the data, not by the
planner's estimate of how many entries match (it multiplies the pairs of a Chinese word and the scope
as if independent and was off 3–100×, choosing between reading every match and walking every entry):
the scope's newest PROBE entries are read in id order — a whole type's off its (type, id) index, a
scope of owners and teams off `search_holder` (migration 0004) — and tested.
- When enough of them match — a quarter (DENSE) in a scope of owners and teams, a tenth
  (DENSE_IN_ALL) among every record of the type, whose GIN bitmaps are ten times larger — the window
  is the matches among the scope's newest WALK entries, tested the same way, newest first: at most
  WALK rows read where the GIN index would list every match (a rep's 118,000 contacts).
- Otherwise the GIN index finds the matches within the scope — the vectors carry the scope as
  lexemes ("zycontact": every contact, "zcontacto12": owner 12, "zcontactt3": team 3), ANDed with
  the words — and the window is the first RANK_WINDOW of them in storage order, so no more rows
  are read than are kept. The query reaches the index as a parameter (and a walk tests it with
  ts_match_vq, which no index answers), so the plans are the same whatever the estimates: a bitmap
  of the matches, never a scan of the table; a walk, never a bitmap. A short word prefix
  ("ma", "mat") is one lexeme of its own ("zpmat"), not a merge of every word beginning so.
A window that is not full is ranked in full. A full one shows its most recently changed matches
unranked (the package's docstring says why): the probe's matches first, which are the newest.
"""

from collections.abc import Sequence

from ..tokens import AllOf, AnyOf, Phrase, Query, Term
from . import RANK_WINDOW, TypeScope

TOKENS = "e.tokens_vector"  # to_tsvector('simple', tokens) and the scope lexemes, see migration 0004
CHARS = "e.chars_vector"
PROBE = 100  # the scope's newest entries tested first
DENSE = 25  # matches among them from which the window is walked rather than asked of the GIN index
DENSE_IN_ALL = 10  # the same for a scope of every record of the type
WALK = 2500  # the most entries a walk tests
SHORT_PREFIX_MARK = "zp"  # the lexemes of each word's first letters (migration 0004: search_prefixes)
SHORT_PREFIX_LENGTHS = (2, 3)
COLUMNS = "e.id, e.type, e.object_id, e.title, e.subtitle, e.url, e.updated_at"


def entries_inserted(cursor, first_id: int, last_id: int) -> None:
    """Nothing to do: the vectors are generated columns and a statement trigger files the holders."""


def index_rebuilt(cursor) -> None:
    """Nothing to do: GIN indexes merge their pending entries as they go."""


def _quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _node(node) -> str:
    if isinstance(node, Term):
        if node.prefix and len(node.text) in SHORT_PREFIX_LENGTHS:
            return _quoted(SHORT_PREFIX_MARK + node.text)
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


def _matches(query: Query, holders: Sequence[str] = (), *, tested: bool = False) -> tuple[str, list]:
    """The text conditions, each tsquery a sub-select, unknown to the planner, which then cannot misjudge
    it; with `holders`, the scope joins the first tsquery as lexemes. `tested`: written as ts_match_vq,
    the function behind @@, which no index answers, for entries a walk reads one by one."""
    conditions, params = [], []
    scope = " & (" + " | ".join(_quoted(holder) for holder in holders) + ")" if holders else ""
    for vector, tsquery in zip((TOKENS, CHARS), tsqueries(query), strict=True):
        if tsquery:
            tsquery_sql = "(SELECT %s::tsquery)"
            conditions.append(f"ts_match_vq({vector}, {tsquery_sql})" if tested else f"{vector} @@ {tsquery_sql}")
            params.append(f"({tsquery}){scope}")
            scope = ""
    return " AND ".join(conditions), params


def _newest(scope: TypeScope, count: int) -> tuple[str, list, str]:
    """A FROM clause for the scope's newest `count` entries `e`, newest first, and the ORDER BY that keeps
    them so without a sort.

    Every record of a type: the type's (type, id) index read backwards. A scope of owners and teams:
    one backward scan of search_holder's key per token, merged in id order; an entry held by two of
    the tokens (its owner's and its team's) is read twice and kept once."""
    if scope.owner_ids is None:
        # The type as a range, not `=`: with `=` the planner drops it from the order and may walk the primary
        # key instead, past every newer entry of other types (100,000 tasks before the first contact: 48 ms).
        return ("(SELECT n.* FROM search_searchentry AS n WHERE n.type >= %s AND n.type <= %s "
                "ORDER BY n.type DESC, n.id DESC LIMIT %s) AS e", [scope.type, scope.type, count],
                "e.type DESC, e.id DESC")
    tokens = scope.tokens()
    per_token = " UNION ALL ".join(
        "(SELECT h.entry_id FROM search_holder AS h WHERE h.holder = %s ORDER BY h.entry_id DESC LIMIT %s)"
        for _token in tokens
    )
    newest = f"SELECT entry_id AS id FROM ({per_token}) AS h ORDER BY entry_id DESC LIMIT %s"
    ids = newest if len(tokens) == 1 else f"SELECT DISTINCT t.id FROM ({newest}) AS t"
    params = [param for token in tokens for param in (token, count)]
    return f"({ids}) AS w JOIN search_searchentry AS e ON e.id = w.id", [*params, count], "e.id DESC"


def _window(position: int, query: Query, scope: TypeScope, vector: str, window: int) -> tuple[list[str], list]:
    """The common table expressions of one type (see the module's docstring): probe{n}, the matches
    among the newest PROBE entries; walked{n}, the dense way; found{n}, the GIN way."""
    probe, walked, found = f"probe{position}", f"walked{position}", f"found{position}"
    columns = f"{COLUMNS}, e.{vector}"
    tested, tested_params = _matches(query, tested=True)
    in_scope, in_scope_params = _matches(query, scope.tokens())
    probe_from, probe_params, _order = _newest(scope, PROBE)
    walk_from, walk_params, walk_order = _newest(scope, WALK)
    dense = f"(SELECT count(*) FROM {probe}) >= %s"
    dense_from = DENSE_IN_ALL if scope.owner_ids is None else DENSE
    ctes = [
        f"{probe} AS MATERIALIZED (SELECT {columns} FROM {probe_from} WHERE {tested})",
        f"{walked} AS MATERIALIZED (SELECT {columns} FROM {walk_from} WHERE {dense} AND {tested} "
        f"ORDER BY {walk_order} LIMIT %s)",
        f"{found} AS MATERIALIZED (SELECT {columns} FROM search_searchentry AS e "
        f"WHERE NOT {dense} AND {in_scope} LIMIT %s)",
    ]
    params = [*probe_params, *tested_params, *walk_params, dense_from, *tested_params, window,
              dense_from, *in_scope_params, window]
    return ctes, params


def compile(query: Query, scopes: Sequence[TypeScope], limit: int, window: int = RANK_WINDOW) -> tuple[str, list]:
    tokens, chars = tsqueries(query)
    ranked_vector, ranked_query = ("tokens_vector", tokens) if tokens else ("chars_vector", chars)
    ctes, selects, params = [], [], []
    for position, scope in enumerate(scopes):
        type_ctes, type_params = _window(position, query, scope, ranked_vector, window)
        ctes += type_ctes
        params += type_params
    for position, _scope in enumerate(scopes):
        probe, walked, found = f"probe{position}", f"walked{position}", f"found{position}"
        full = f"(SELECT count(*) FROM {walked}) + (SELECT count(*) FROM {found}) >= %s"
        # The window: walked or found (one of them is empty), and the probe's matches beside what was found.
        matches = (f"SELECT * FROM {walked} UNION ALL SELECT * FROM {found} UNION ALL SELECT * FROM {probe} "
                   f"WHERE NOT EXISTS (SELECT FROM {walked}) AND id NOT IN (SELECT id FROM {found})")
        selects.append(
            f"(SELECT {position} AS position, w.type, w.object_id, w.title, w.subtitle, w.url, "
            f"CASE WHEN {full} THEN 0.0 ELSE -ts_rank(w.{ranked_vector}, %s::tsquery, 1) END AS score, "
            f"w.updated_at, w.id FROM ({matches}) AS w ORDER BY score, w.updated_at DESC, w.id DESC LIMIT %s)"
        )
        params += [int(window), ranked_query, min(int(limit), int(window))]
    sql = ("WITH " + ", ".join(ctes) + " SELECT * FROM (" + " UNION ALL ".join(selects) + ") AS hits "
           "ORDER BY position, score, updated_at DESC, id DESC")
    return sql, params


def ids_matching(query: Query, type_name: str) -> tuple[str, list]:
    """SQL for the ids of the records of one type whose entries match `query`: a list's quick search, which
    applies its own scope and order."""
    text, params = _matches(query)
    return f"SELECT e.object_id FROM search_searchentry AS e WHERE e.type = %s AND {text}", [type_name, *params]
