"""The full-text index beside `search_searchentry`: FTS5 on SQLite, GIN indexes on PostgreSQL.

SQLite: a contentless FTS5 table whose rowid is the entry's id, kept in step by triggers, so every
write path (bulk_create, queryset delete, update) updates it. Its third column, `scope`, holds the
entry's type, and its owners and teams per type, as tokens ("zyaccount zaccounto12 zaccountt3"), so
the scope is part of the MATCH itself: FTS5 intersects a rep's few thousand entries with the query
terms instead of testing every match afterwards. (Owner tokens carry the type because intersecting
with the type's own token, which lists a whole table, cost 40 ms at a million entries.) Prefix
indexes for two and three characters: "con" expanded to a million distinct terms (1.8 s; 0.1 s with
them) for a third more index.
PostgreSQL: GIN indexes on to_tsvector('simple', …) of the two token columns, stored as generated
columns together with the same scope lexemes, and a b-tree on (type, id) for the newest matches.
"""

from django.db import migrations

from rapport.core.vendor_sql import RunSQLOn

SCOPE_OF = (
    "'zy' || {row}.type"
    " || coalesce(' z' || {row}.type || 'o' || {row}.owner_id, '')"
    " || coalesce(' z' || {row}.type || 't' || {row}.team_id, '')"
    " || coalesce(' z' || {row}.type || 'o' || {row}.other_owner_id, '')"
    " || coalesce(' z' || {row}.type || 't' || {row}.other_team_id, '')"
)
INSERT_OF = (
    "INSERT INTO search_fts(rowid, tokens, chars, scope) "
    "VALUES (new.id, new.tokens, new.chars, " + SCOPE_OF.format(row="new") + ");"
)
DELETE_OF = (
    "INSERT INTO search_fts(search_fts, rowid, tokens, chars, scope) "
    "VALUES ('delete', old.id, old.tokens, old.chars, " + SCOPE_OF.format(row="old") + ");"
)

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "tokens, chars, scope, content='', tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
    f"CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN {INSERT_OF} END",
    f"CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN {DELETE_OF} END",
    f"CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN {DELETE_OF} {INSERT_OF} END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER search_fts_update",
    "DROP TRIGGER search_fts_delete",
    "DROP TRIGGER search_fts_insert",
    "DROP TABLE search_fts",
]

# PostgreSQL keeps the vectors in generated columns (not model fields): ranking and re-checking a match
# read them instead of running to_tsvector again (~60 µs a row: 2 s for a word in 100k records). They
# also hold the scope as lexemes, as on SQLite, so a GIN scan intersects a rep's few thousand entries
# with a common word instead of ANDing two bitmaps of which one lists half the table.
SCOPE_LEXEMES = (
    "to_tsvector('simple', ''"
    " || coalesce(' z' || type || 'o' || owner_id::text, '')"
    " || coalesce(' z' || type || 't' || team_id::text, '')"
    " || coalesce(' z' || type || 'o' || other_owner_id::text, '')"
    " || coalesce(' z' || type || 't' || other_team_id::text, ''))"
)
POSTGRES_FORWARD = [
    "ALTER TABLE search_searchentry ADD COLUMN tokens_vector tsvector "
    f"GENERATED ALWAYS AS (to_tsvector('simple', tokens) || {SCOPE_LEXEMES}) STORED",
    "ALTER TABLE search_searchentry ADD COLUMN chars_vector tsvector "
    f"GENERATED ALWAYS AS (to_tsvector('simple', chars) || {SCOPE_LEXEMES}) STORED",
    "CREATE INDEX search_entry_tokens ON search_searchentry USING gin (tokens_vector)",
    "CREATE INDEX search_entry_chars ON search_searchentry USING gin (chars_vector)",
    # The newest entries of a type first: a word in most records finds its window of matches here.
    "CREATE INDEX search_entry_newest ON search_searchentry (type, id)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX search_entry_newest",
    "DROP INDEX search_entry_chars",
    "DROP INDEX search_entry_tokens",
    "ALTER TABLE search_searchentry DROP COLUMN chars_vector",
    "ALTER TABLE search_searchentry DROP COLUMN tokens_vector",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_entries")]

    operations = [
        RunSQLOn("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
        RunSQLOn("postgresql", POSTGRES_FORWARD, POSTGRES_BACKWARD),
    ]
