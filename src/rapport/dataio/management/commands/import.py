"""`rapport import contacts FILE`: the web import from the command line, with the same rules and report."""

import os

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rapport.core.errors import DomainError
from rapport.dataio import import_jobs
from rapport.dataio.cells import DATE_FORMATS, NUMBER_FORMATS
from rapport.dataio.imports import (
    DUPLICATE_ACTIONS,
    ImportOptions,
    importable_for,
    importables,
    mapping_from_headers,
)
from rapport.dataio.models import JobStatus
from rapport.directory.models import User

SHOWN_REJECTIONS = 50


class Command(BaseCommand):
    help = "Import accounts or contacts from a CSV or .xlsx file, as the Import page does."

    def add_arguments(self, parser):
        names = ", ".join(name for name, _entry in importables.items())
        parser.add_argument("entity", help=f"What the file holds: {names}")
        parser.add_argument("file", help="A CSV (UTF-8, GBK/GB18030, …) or .xlsx file; the first row names the "
                                         "columns.")
        parser.add_argument("--mapping", nargs="+", default=[], metavar="HEADER=FIELD",
                            help="Map a column (by header or number) to a field; without it, columns are mapped "
                                 "by their header names. Columns not mapped are not imported.")
        parser.add_argument("--duplicates", default="", metavar="KEY",
                            help="Find duplicates by email, phone, external_id or name.")
        parser.add_argument("--on-duplicate", default="skip", choices=list(DUPLICATE_ACTIONS))
        parser.add_argument("--date-format", default="YYYY-MM-DD", choices=list(DATE_FORMATS))
        parser.add_argument("--number-format", default="1,234.56", choices=list(NUMBER_FORMATS))
        parser.add_argument("--encoding", default="", help="e.g. utf-8, gbk; detected when left out.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and count; write nothing.")
        parser.add_argument("--user", default="", help="Who imports (owner of the new records); the only "
                                                       "superuser when left out.")

    def handle(self, *args, **options):
        actor = self._actor(options["user"])
        path = options["file"]
        if not os.path.isfile(path):
            raise CommandError(_("There is no file %(path)s.") % {"path": path})
        mapping = {}
        for item in options["mapping"]:
            header, separator, field = item.partition("=")
            if not separator:
                raise CommandError(_("Write each mapping as HEADER=FIELD, not “%(item)s”.") % {"item": item})
            mapping[header.strip()] = field.strip()
        try:
            job = self._run(actor, path, mapping, options)
        except DomainError as error:
            raise CommandError(import_jobs.message_of(error)) from error
        self._report(job)
        if job.status == JobStatus.FAILED:
            raise CommandError(job.error)

    def _actor(self, username: str) -> User:
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(_("There is no active user “%(username)s”.") % {"username": username})
            return actor
        superusers = list(User.objects.filter(is_superuser=True, is_active=True)[:2])
        if len(superusers) != 1:
            raise CommandError(_("Say who imports with --user USERNAME."))
        return superusers[0]

    def _run(self, actor, path: str, mapping: dict, options: dict):
        with open(path, "rb") as handle:
            job = import_jobs.import_upload(actor=actor, entity=options["entity"], upload=File(handle),
                                            filename=os.path.basename(path), encoding=options["encoding"],
                                            dry_run=options["dry_run"])
        importable = importable_for(job.entity)
        try:
            suggested = ImportOptions.from_json(job.options)
            columns = mapping_from_headers(importable, job.header, mapping) if mapping else suggested.columns
            chosen = ImportOptions(columns=columns, duplicate_key=options["duplicates"],
                                   on_duplicate=options["on_duplicate"], date_format=options["date_format"],
                                   number_format=options["number_format"])
            import_jobs.import_configure(actor=actor, job=job, options=chosen)
        except DomainError:
            job.file.delete(save=False)
            job.delete()
            raise
        return import_jobs.import_start(actor=actor, job=job, dry_run=options["dry_run"], background=False)

    def _report(self, job) -> None:
        write = self.stdout.write
        mapped = [f"{name} → {key}" for name, key in zip(job.header, job.options.get("columns", []), strict=False)
                  if key]
        write(_("Columns: %(columns)s") % {"columns": ", ".join(mapped)})
        heading = _("Dry run (nothing was written)") if job.dry_run else _("Import #%(id)s") % {"id": job.pk}
        write(heading)
        write(_("rows: %(rows)s  created: %(created)s  updated: %(updated)s  skipped: %(skipped)s  "
                "rejected: %(rejected)s") % {"rows": job.total_rows, "created": job.created_count,
                                             "updated": job.updated_count, "skipped": job.skipped_count,
                                             "rejected": job.rejected_count})
        for rejected in job.rejected_sample[:SHOWN_REJECTIONS]:
            write(_("  row %(row)s: %(reason)s") % rejected)
        if job.rejected_count > SHOWN_REJECTIONS:
            write(_("  … and %(more)s more.") % {"more": job.rejected_count - SHOWN_REJECTIONS})
        if job.rejected_file:
            write(_("Rejected rows, to fix and import again: %(path)s") % {"path": job.rejected_file.path})
