import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rapport.core.extensions import demo_generators

SIZES = {"small": 1}


class Command(BaseCommand):
    help = "Load deterministic demo data (users, customers, ...) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when users already exist.")
        parser.add_argument("--seed", type=int, default=20261123)

    def handle(self, *args, size, if_empty, seed, **options):
        from django.contrib.auth import get_user_model

        if get_user_model().objects.exists():
            if if_empty:
                self.stdout.write("Database already has data; demo data not loaded.")
                return
            raise CommandError("The database is not empty; demo data goes only into an empty database.")
        context: dict = {"size": size, "rng": random.Random(seed), "stdout": self.stdout}
        with transaction.atomic():
            for generator in demo_generators:
                generator.generate(context)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({size})."))
