import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from rapport.search import services
from rapport.search.models import SearchEntry
from rapport.search.registry import search_types


class Command(BaseCommand):
    help = "Re-index every searchable record, in batches; searches keep working meanwhile."

    def add_arguments(self, parser):
        parser.add_argument("--type", action="append", dest="types", metavar="TYPE",
                            help="Only this record type (repeatable): " + ", ".join(t.name for t in search_types))
        parser.add_argument("--batch-size", type=int, default=services.BATCH_SIZE)

    def handle(self, *args, types, batch_size, **options):
        unknown = sorted(set(types or ()) - {search_type.name for search_type in search_types})
        if unknown:
            raise CommandError(f"Unknown type: {', '.join(unknown)}. "
                               f"Choose from: {', '.join(t.name for t in search_types)}.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        started = {}

        def progress(search_type, done: int, total: int) -> None:
            began = started.setdefault(search_type.name, time.monotonic())
            elapsed = time.monotonic() - began
            rate = f", {done / elapsed:,.0f}/s" if done and elapsed > 0 else ""
            self.stdout.write(f"{search_type.name}: {done:,} / {total:,}{rate}")

        began = time.monotonic()
        counts = services.rebuild(types=types, batch_size=batch_size, progress=progress)
        with connection.cursor() as cursor:  # the planner's statistics of the table just rewritten
            cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {summary} in {time.monotonic() - began:.1f}s."))
