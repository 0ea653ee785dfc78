"""Who may find an entry: one `holders` column of scope tokens instead of two owner and two team columns,
so a record type may have as many owner and team paths as its access module names (a task: its
assignee, its creator and its account's owner).

The tokens are those the full-text index held already ("zcontacto12 zcontactt3"), in the same
order, so the SQLite index needs no rebuild: its triggers now read them from `holders`. PostgreSQL's
generated vectors are rebuilt from the new column.
"""

from django.db import migrations, models

from rapport.core.vendor_sql import RunSQLOn

HOLDERS_FROM_COLUMNS = (
    "UPDATE search_searchentry SET holders = trim("
    "coalesce(' z' || type || 'o' || owner_id, '')"
    " || coalesce(' z' || type || 't' || team_id, '')"
    " || coalesce(' z' || type || 'o' || other_owner_id, '')"
    " || coalesce(' z' || type || 't' || other_team_id, ''))"
)

SCOPE_OF = "'zy' || {row}.type || ' ' || {row}.holders"
INSERT_OF = (
    "INSERT INTO search_fts(rowid, tokens, chars, scope) "
    "VALUES (new.id, new.tokens, new.chars, " + SCOPE_OF.format(row="new") + ");"
)
DELETE_OF = (
    "INSERT INTO search_fts(search_fts, rowid, tokens, chars, scope) "
    "VALUES ('delete', old.id, old.tokens, old.chars, " + SCOPE_OF.format(row="old") + ");"
)
DROP_TRIGGERS = [
    "DROP TRIGGER search_fts_update",
    "DROP TRIGGER search_fts_delete",
    "DROP TRIGGER search_fts_insert",
]
CREATE_TRIGGERS = [
    f"CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN {INSERT_OF} END",
    f"CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN {DELETE_OF} END",
    f"CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN {DELETE_OF} {INSERT_OF} END",
]

DROP_VECTORS = [
    "ALTER TABLE search_searchentry DROP COLUMN chars_vector",
    "ALTER TABLE search_searchentry DROP COLUMN tokens_vector",
]
CREATE_VECTORS = [
    "ALTER TABLE search_searchentry ADD COLUMN tokens_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', tokens) || to_tsvector('simple', holders)) STORED",
    "ALTER TABLE search_searchentry ADD COLUMN chars_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', chars) || to_tsvector('simple', holders)) STORED",
    "CREATE INDEX search_entry_tokens ON search_searchentry USING gin (tokens_vector)",
    "CREATE INDEX search_entry_chars ON search_searchentry USING gin (chars_vector)",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index")]

    operations = [
        RunSQLOn("sqlite", DROP_TRIGGERS, None),
        RunSQLOn("postgresql", DROP_VECTORS, None),
        migrations.AddField("searchentry", "holders", models.TextField(blank=True, default="")),
        migrations.RunSQL(HOLDERS_FROM_COLUMNS, None),
        migrations.RemoveField("searchentry", "owner_id"),
        migrations.RemoveField("searchentry", "team_id"),
        migrations.RemoveField("searchentry", "other_owner_id"),
        migrations.RemoveField("searchentry", "other_team_id"),
        RunSQLOn("sqlite", CREATE_TRIGGERS, None),
        RunSQLOn("postgresql", CREATE_VECTORS, None),
    ]
