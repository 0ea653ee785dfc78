import argparse
import random
import time

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rapport.core import bulk_load
from rapport.core.extensions import demo_generators

# size -> scale: None is the small, hand-made set `make run` loads through the ORM; a number runs
# each module's bulk generator at that fraction of 100,000 accounts, 1,000,000 contacts and
# 10,000,000 activities (see customers/demo.py and timeline/demo.py).
SIZES = {"small": None, "1m": 1.0}


def _fraction(text: str) -> float:
    try:
        scale = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a number; give a fraction such as 0.1.") from None
    if not 0 < scale <= 10:
        raise argparse.ArgumentTypeError(f"{text} is out of range; give a fraction above 0 and at most 10.")
    return scale


class Command(BaseCommand):
    help = "Load deterministic demo data (users, customers, ...) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when users already exist.")
        parser.add_argument("--seed", type=int, default=20261123)
        parser.add_argument("--scale", type=_fraction, default=None, help=(
            "The --size 1m data at this fraction of it: 0.1 gives 10,000 accounts, 100,000 contacts and "
            "1,000,000 activities (--size 1m is --scale 1)."))
        parser.add_argument("--skip-search-index", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, size, if_empty, seed, scale, skip_search_index, **options):
        from django.contrib.auth import get_user_model

        if get_user_model().objects.exists():
            if if_empty:
                self.stdout.write("Database already has data; demo data not loaded.")
                return
            raise CommandError("The database is not empty; demo data goes only into an empty database.")
        scale = scale if scale is not None else SIZES[size]
        context: dict = {"size": size, "rng": random.Random(seed), "stdout": self.stdout, "scale": scale}
        if scale is None:
            with transaction.atomic():
                for generator in demo_generators:
                    generator.generate(context)
        else:
            self._load_at_scale(context, index_search=not skip_search_index)
        loaded = size if scale in (None, 1.0) else f"scale {scale:g}"
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({loaded})."))

    def _load_at_scale(self, context: dict, *, index_search: bool) -> None:
        """Each table is loaded in a transaction of its own (one transaction for everything would keep
        gigabytes of undo); if the load stops half-way, start again with an empty database."""
        report = context["report"] = bulk_load.LoadReport(self.stdout)
        started = time.perf_counter()
        with bulk_load.tuned_for_bulk_load():
            for name, generator in demo_generators.items():
                began = time.perf_counter()
                self.stdout.write(f"{name}:")
                generator.generate(context)
                self.stdout.write(f"{name}: done in {time.perf_counter() - began:.1f} s")
            loaded = time.perf_counter() - started
            began = time.perf_counter()
            bulk_load.analyze()  # before indexing: the index reads the tables in batches, which needs a good plan
            analyzed = time.perf_counter() - began
            indexed = self._index_search() if index_search else None
        for line in report.summary():
            self.stdout.write(line)
        self.stdout.write(f"Data generated and loaded in {loaded:.1f} s; ANALYZE {analyzed:.1f} s.")
        if indexed is not None:
            self.stdout.write(f"Search index built in {indexed:.1f} s.")
        self.stdout.write(f"Total {time.perf_counter() - started:.1f} s.")

    def _index_search(self) -> float | None:
        """Build the search index with the search module's own command; None when there is none yet."""
        if "rebuild_search_index" not in get_commands():
            self.stdout.write("Search is not indexed: run `rapport rebuild_search_index`.")
            return None
        began = time.perf_counter()
        call_command("rebuild_search_index", stdout=self.stdout)
        return time.perf_counter() - began
