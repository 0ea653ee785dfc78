"""PostgreSQL: a scope's newest entries read from a b-tree, whatever the words searched for.

`search_holder` has one row per holder of an entry ("zaccounto12": owner 12, "zaccountt3": team 3),
keyed by (holder, entry_id). A search walks its scope's newest entries there and tests their text,
so a word found in most of a rep's records costs a thousand or so rows, instead of every match
the GIN index finds, and the plan no longer rests on PostgreSQL's estimate of how many match.
Statement triggers keep the table in step with every write to the entries, as row triggers keep
SQLite's FTS table (migration 0002); the entries are replaced, never updated, so an insert or
delete of 5,000 entries writes the holders in one set-based statement.
The vectors' scope lexemes gain the type token too, so that the GIN index answers an unscoped
search without an AND with the bitmap of every entry of the type; and the tokens vector gains the
two- and three-letter prefixes of every word, so that a short prefix is one lexeme.
"""

from django.db import migrations

from rapport.core.vendor_sql import RunSQLOn

SCOPE_TOKENS = "unnest(string_to_array({row}.holders, ' '))"
HOLDERS_OF = "SELECT DISTINCT token, {row}.id FROM {table} AS {row}, " + SCOPE_TOKENS + " AS token WHERE token <> ''"

KEEP_IN_STEP = f"""
CREATE FUNCTION search_holder_in_step() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE search_holder;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM search_holder AS h
        USING ({HOLDERS_OF.format(row="o", table="old_entries")}) AS gone (holder, entry_id)
        WHERE h.holder = gone.holder AND h.entry_id = gone.entry_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO search_holder (holder, entry_id) {HOLDERS_OF.format(row="n", table="new_entries")};
    END IF;
    RETURN NULL;
END
$$
"""

# The first two and three letters of each word (not of CJK bigrams, whose first character takes three
# bytes or more), as lexemes of their own behind the mark "zp": a query "mat" asks for 'zpmat', one
# posting list, where the prefix query 'mat':* merged those of every word beginning so (15–30 ms).
# Each occurrence of a word gives its prefixes again, so a title (written twice) still ranks first.
PREFIXES = """
CREATE FUNCTION search_prefixes(tokens text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(string_agg('zp' || left(token, size), ' '), '')
    FROM unnest(string_to_array(tokens, ' ')) AS token, (VALUES (2), (3)) AS sizes (size)
    WHERE length(token) >= size AND octet_length(left(token, 1)) < 3
$$
"""


def _vectors(tokens: str, scope: str) -> list[str]:
    return [
        "ALTER TABLE search_searchentry DROP COLUMN chars_vector",
        "ALTER TABLE search_searchentry DROP COLUMN tokens_vector",
        "ALTER TABLE search_searchentry ADD COLUMN tokens_vector tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('simple', {tokens}) || to_tsvector('simple', {scope})) STORED",
        "ALTER TABLE search_searchentry ADD COLUMN chars_vector tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('simple', chars) || to_tsvector('simple', {scope})) STORED",
        "CREATE INDEX search_entry_tokens ON search_searchentry USING gin (tokens_vector)",
        "CREATE INDEX search_entry_chars ON search_searchentry USING gin (chars_vector)",
    ]


FORWARD = [
    PREFIXES,
    *_vectors("tokens || ' ' || search_prefixes(tokens)", "'zy' || type || ' ' || holders"),
    "CREATE TABLE search_holder (holder text NOT NULL, entry_id bigint NOT NULL, PRIMARY KEY (holder, entry_id))",
    "INSERT INTO search_holder (holder, entry_id) " + HOLDERS_OF.format(row="e", table="search_searchentry"),
    KEEP_IN_STEP,
    "CREATE TRIGGER search_holder_insert AFTER INSERT ON search_searchentry "
    "REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION search_holder_in_step()",
    "CREATE TRIGGER search_holder_delete AFTER DELETE ON search_searchentry "
    "REFERENCING OLD TABLE AS old_entries FOR EACH STATEMENT EXECUTE FUNCTION search_holder_in_step()",
    "CREATE TRIGGER search_holder_update AFTER UPDATE ON search_searchentry "
    "REFERENCING OLD TABLE AS old_entries NEW TABLE AS new_entries "
    "FOR EACH STATEMENT EXECUTE FUNCTION search_holder_in_step()",
    "CREATE TRIGGER search_holder_truncate AFTER TRUNCATE ON search_searchentry "
    "FOR EACH STATEMENT EXECUTE FUNCTION search_holder_in_step()",
    "ANALYZE search_holder",
]
BACKWARD = [
    "DROP TRIGGER search_holder_truncate ON search_searchentry",
    "DROP TRIGGER search_holder_update ON search_searchentry",
    "DROP TRIGGER search_holder_delete ON search_searchentry",
    "DROP TRIGGER search_holder_insert ON search_searchentry",
    "DROP FUNCTION search_holder_in_step()",
    "DROP TABLE search_holder",
    *_vectors("tokens", "holders"),
    "DROP FUNCTION search_prefixes(text)",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0003_holders")]

    operations = [RunSQLOn("postgresql", FORWARD, BACKWARD)]
