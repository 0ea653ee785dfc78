"""PostgreSQL: statistics of lower(email) and lower(other_email), which the e-mail indexes of 0008 no longer
give. The planner reads an expression's statistics from an index on it only if the index is not partial;
without them it guessed 0.5 % of the table for each e-mail an import looks up, 2.5 million rows for a
batch of 500, and read the whole contacts table for every batch (an import of a million contacts: 703 s
before, 1,099 s with 0008). SQLite keeps no such statistics; its partial indexes are what it needs."""

from django.db import migrations

from rapport.core.vendor_sql import RunSQLOn

EXPRESSIONS = [(table, column) for table in ("customers_account", "customers_contact")
               for column in ("email", "other_email")]
CREATE = [f"CREATE STATISTICS {table}_{column}_lower ON (lower({column})) FROM {table}"
          for table, column in EXPRESSIONS]
DROP = [f"DROP STATISTICS {table}_{column}_lower" for table, column in EXPRESSIONS]


class Migration(migrations.Migration):
    dependencies = [("customers", "0008_emails_indexed_where_given")]

    operations = [
        RunSQLOn("postgresql", CREATE + [f"ANALYZE {table}" for table in ("customers_account", "customers_contact")],
                 DROP),
    ]
