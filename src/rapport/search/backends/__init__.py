"""Two backends behind one interface: each turns a parsed query and the user's scopes into one SQL query.

`compile(query, scopes, limit, window)` returns (sql, params) for a statement whose rows are
(position, type, object_id, title, subtitle, url, score, updated_at, id): at most `limit` rows per
type, best first — lower score is better — then most recently updated. Nothing is counted.

Ranking reads the full-text rank of each candidate, so it costs in proportion to the candidates:
a two-letter prefix or a common word ("有限", "log") matches a tenth of a million records, and
ranking all of them took 0.6–3 s. So each type looks at most at RANK_WINDOW matches, the most
recently (re)indexed ones — an entry is rewritten on every change of its record, so its id orders
entries by their last change. (PostgreSQL takes the first its GIN index yields for a word in few of
the scope's recent records, and looks at no more than its newest 2,500 for a common one: see
postgres.py.) A query with fewer matches than the window, i.e. any specific one, is
ranked in full; one with more (a word in most records, such as 有限公司) shows its most recently
changed matches unranked: a rank would tell nothing there, and on SQLite merely preparing bm25 reads
every row holding the word (170 ms on a million contacts). The user narrows it by typing on.
"""

from dataclasses import dataclass
from types import ModuleType

from django.db import connection

from ..tokens import holder_tokens, type_token

RANK_WINDOW = 1000


@dataclass(frozen=True)
class TypeScope:
    """The records of one type a user may find: all of them, or those of these owners and teams."""

    type: str
    owner_ids: tuple[int, ...] | None  # None: every record of the type
    team_ids: tuple[int, ...] = ()

    def tokens(self) -> list[str]:
        """The scope as tokens of the index: the type's own for every record, else the holders'."""
        if self.owner_ids is None:
            return [type_token(self.type)]
        return holder_tokens(self.type, self.owner_ids, self.team_ids)


def backend(using=connection) -> ModuleType:
    if using.vendor == "postgresql":
        from . import postgres

        return postgres
    if using.vendor == "sqlite":
        from . import sqlite_fts5

        return sqlite_fts5
    raise NotImplementedError(f"Search has no backend for {using.vendor}.")
