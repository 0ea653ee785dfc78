"""Fast bulk INSERT for big writes (imports): ids reserved up front, then one COPY or executemany.

Django's `bulk_create` runs every value through the ORM's SQL compiler — about 25 µs per value, so
0.7 ms per row of a 30-column table, seven times the database's own work on SQLite. `insert_many`
prepares each value with its field (the same conversion `bulk_create` does), reserves the ids from
the table's sequence, and sends the rows with COPY (PostgreSQL) or executemany (SQLite). The objects
get their ids, as after `bulk_create`. Signals are not sent, as with `bulk_create`.
"""

from django.db import connections, router, transaction
from django.db.models import Model

CHUNK = 5000


def insert_many(model: type[Model], objects: list, *, using: str | None = None) -> list:
    """INSERT `objects` (unsaved instances of `model`) and set their primary keys."""
    if not objects:
        return objects
    using = using or router.db_for_write(model)
    connection = connections[using]
    meta = model._meta
    fields = list(meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(meta.db_table)
    with transaction.atomic(using=using, savepoint=False):
        ids = _reserve_ids(connection, model, len(objects))
        for instance, pk in zip(objects, ids, strict=True):
            instance.pk = pk
        rows = [tuple(field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields)
                for instance in objects]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                for start in range(0, len(rows), CHUNK):
                    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                                       rows[start:start + CHUNK])
    for instance in objects:
        instance._state.adding = False
        instance._state.db = using
    return objects


def _reserve_ids(connection, model: type[Model], count: int) -> list[int]:
    """`count` new ids for `model`'s table, never used before and never used by anyone else."""
    meta = model._meta
    table, column = meta.db_table, meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [connection.ops.quote_name(table), column, count])
            return [row[0] for row in cursor.fetchall()]
        # SQLite: inside this write transaction no one else inserts (Rapport opens them IMMEDIATE).
        # AUTOINCREMENT remembers the largest id ever used in sqlite_sequence, deleted rows included.
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(column)}) FROM {connection.ops.quote_name(table)}")
        largest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(largest, row[0] if row else 0) + 1
    return list(range(start, start + count))
