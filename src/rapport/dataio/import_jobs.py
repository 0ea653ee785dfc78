"""Import jobs: upload, mapping, the run (a background task) and undo. Every write goes through the
registered entity, which calls its own services.

A run reads the whole file once before writing anything (so an unreadable file fails with nothing
imported), then works in batches of BATCH_SIZE rows. Within a batch every row is converted, looked up
and validated first; then the valid rows are written in one transaction, together with the job's
counts and what undo needs. A batch is therefore written whole or — if the database refuses it —
retried row by row, so a bad row is rejected and never takes good rows down with it.
"""

import csv
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from rapport import access
from rapport.core import bulk
from rapport.core.background import enqueue_on_commit
from rapport.core.errors import Conflict, DomainError, NotFound
from rapport.core.heartbeat import heartbeat
from rapport.core.writers import neutralise
from rapport.search.models import SearchEntry

from . import import_files, jobs
from .cells import cell_text
from .import_files import ImportFileError
from .imports import (
    ImportContext,
    ImportOptions,
    ImportRow,
    column_name,
    convert_row,
    importable_for,
    reason_of,
    suggest_columns,
    validate_options,
)
from .models import ImportedRecord, Job, JobKind, JobStatus

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
REJECTED_SAMPLE = 100
PENDING = -1  # a dry run's match for a record an earlier row of the file would create


# --- reads ----------------------------------------------------------------------------------------


def import_get(*, actor, job_id) -> Job:
    """The actor's own import or check of one; anyone else's is NotFound, so its existence does not leak."""
    return jobs.job_get(actor=actor, job_id=job_id, kind=JobKind.IMPORT)


def with_rejected_rows(*, actor, job_id) -> Job:
    """The actor's own import that rejected rows (its file of them to download); NotFound otherwise."""
    job = import_get(actor=actor, job_id=job_id)
    if not job.rejected_file:
        raise NotFound(_("This import rejected no rows."))
    return job


def may_undo(job: Job) -> bool:
    return not job.dry_run and job.status in (JobStatus.DONE, JobStatus.FAILED) and bool(
        job.created_count or job.updated_count)


def preview(job: Job) -> import_files.Inspection:
    """The file's header and first rows, for the mapping page."""
    with local_path(job) as path:
        return import_files.inspect(path, chosen_encoding=job.encoding or None)


# --- upload, mapping, start ----------------------------------------------------------------------


def require_import(actor, importable, options: ImportOptions | None = None) -> None:
    """Importing creates records; updating duplicates also edits them."""
    access.require(actor, f"{importable.permission_module}.create")
    if options is not None and options.updates:
        access.require(actor, f"{importable.permission_module}.edit")


def import_upload(*, actor, entity: str, upload, filename: str, encoding: str | None = None,
                  dry_run: bool = True) -> Job:
    """Store an uploaded file as a new import of `entity`, with suggested columns; nothing is imported yet.

    Refuses (ImportFileError) a file over IMPORT_MAX_BYTES before reading it, and an empty, binary,
    broken or header-only one after reading only its start.
    """
    importable = importable_for(entity)
    require_import(actor, importable)
    size = getattr(upload, "size", None)
    import_files.check_size(size if size is not None else _size_of(upload))
    chosen = import_files.normalise_encoding(encoding)
    job = Job(kind=JobKind.IMPORT, user=actor, entity=entity, dry_run=dry_run,
              original_filename=os.path.basename(filename or "")[:255] or "upload")
    job.file.save(f"{uuid.uuid4().hex}.upload", upload, save=False)
    try:
        with local_path(job) as path:
            inspection = import_files.inspect(path, chosen_encoding=chosen)
    except BaseException:
        job.file.delete(save=False)
        raise
    job.file_format, job.encoding, job.header = inspection.file_format, inspection.encoding, inspection.header
    job.options = ImportOptions(columns=suggest_columns(importable, inspection.header)).to_json()
    job.save()
    return job


def _size_of(upload) -> int:
    position = upload.tell()
    upload.seek(0, os.SEEK_END)
    size = upload.tell()
    upload.seek(position)
    return size


def import_configure(*, actor, job: Job, options: ImportOptions) -> Job:
    """Check and keep the chosen columns and options of a job that has not started."""
    if jobs.is_working(job) or not job.dry_run and job.enqueued_at is not None:
        raise Conflict(_("This import has already started; its options can no longer change."))
    importable = importable_for(job.entity)
    options = validate_options(importable, job.header, options)
    require_import(actor, importable, options)
    job.options = options.to_json()
    job.save(update_fields=["options"])
    return job


def import_start(*, actor, job: Job, dry_run: bool, background: bool = True) -> Job:
    """Run a configured job in the background (or now, for the command line). A checked dry run is run
    for real as a new job on the same file and options, so the check's results stay as they were."""
    if jobs.is_working(job):
        raise Conflict(_("This import is already running."))
    importable = importable_for(job.entity)
    options = validate_options(importable, job.header, ImportOptions.from_json(job.options))
    require_import(actor, importable, options)
    if dry_run and not job.dry_run:
        raise Conflict(_("This import has run; upload the file again to check it."))
    if not dry_run and job.dry_run:
        if imported := Job.objects.filter(pk=job.options.get("imported_as"), user=actor).first():
            return imported  # the button was pressed twice: one import, not two
        check, job = job, Job.objects.create(
            kind=JobKind.IMPORT, user=actor, entity=job.entity, file=job.file.name,
            original_filename=job.original_filename, file_format=job.file_format, encoding=job.encoding,
            options=ImportOptions.from_json(job.options).to_json(), header=job.header, dry_run=False,
        )
        check.options = {**check.options, "imported_as": job.pk}
        check.save(update_fields=["options"])
    elif not dry_run and job.enqueued_at is not None:
        raise Conflict(_("This import has run; upload the file again to import it once more."))
    _reset(job)
    jobs.enqueued(job)
    job.save()
    if not background:
        return import_run(job_id=job.pk)
    enqueue_on_commit("rapport.dataio.tasks.run_import", job_id=job.pk)
    return job


def _reset(job: Job) -> None:
    job.status, job.progress, job.total_rows, job.error = JobStatus.PENDING, 0, 0, ""
    job.created_count = job.updated_count = job.skipped_count = job.rejected_count = 0
    job.rejected_sample, job.finished_at = [], None
    if job.rejected_file:
        job.rejected_file.delete(save=False)


@contextmanager
def local_path(job: Job) -> Iterator[str]:
    """The stored file as a local path: itself on a file system, else a temporary copy."""
    try:
        yield job.file.path
        return
    except NotImplementedError:
        pass
    with job.file.open("rb") as source, tempfile.NamedTemporaryFile(suffix=".upload") as copy:
        shutil.copyfileobj(source, copy)
        copy.flush()
        yield copy.name


# --- the run ----------------------------------------------------------------------------------------


def import_run(*, job_id: int) -> Job:
    """Run an enqueued job (the task's work) as its user; the job records progress, counts and rejections."""
    started = Job.objects.filter(pk=job_id, kind=JobKind.IMPORT, status=JobStatus.PENDING)
    if not started.update(status=JobStatus.RUNNING, heartbeat_at=timezone.now()):
        return Job.objects.get(pk=job_id)  # already run (a retried task) or undone
    job = Job.objects.select_related("user").get(pk=job_id)
    language = getattr(job.user, "language", "") or translation.get_language() or "en"
    with translation.override(language), heartbeat(jobs.running(job.pk)):
        run = _Run(job)
        try:
            run.execute()
        except GivenUp:
            logger.warning("Import %s was given up as stalled while it ran; it stopped", job.pk)
            job.refresh_from_db()
        except DomainError as error:
            run.fail(message_of(error))
        except Exception:
            logger.exception("Import %s failed", job.pk)
            run.fail(_("The import stopped because of an unexpected error after %(rows)s rows. The rows before "
                       "were imported; see the import history.") % {"rows": run.processed})
            raise
    return job


class GivenUp(Exception):
    """The job was failed as stalled (its heartbeat had stopped, e.g. through a long database outage) while
    this run went on: it writes nothing more, so what the job's counts and undo know stays what was written."""


class _Run:
    def __init__(self, job: Job):
        self.job = job
        self.importable = importable_for(job.entity)
        self.options = ImportOptions.from_json(job.options)
        self.context = ImportContext(actor=job.user, importable=self.importable, options=self.options,
                                     dry_run=job.dry_run)
        self.processed = 0
        self.rejected_file = None
        self.rejected_writer = None
        self.content_type = ContentType.objects.get_for_model(self.importable.model, for_concrete_model=False)
        # The tables each batch looks up before writing: duplicates, and the search entries it replaces.
        self.growing = bulk.GrowingTables([self.importable.model, SearchEntry])

    def execute(self) -> None:
        job, importable = self.job, self.importable
        require_import(job.user, importable, self.options)
        validate_options(importable, job.header, self.options)
        fields = {f.key: f for f in importable.fields()}
        self.columns = [fields.get(key) for key in self.options.columns]
        self.context.labels = {key: capfirst(str(f.label)) for key, f in fields.items()}
        importable.begin(self.context)
        with local_path(job) as path:
            # Read it all once first: an unreadable row fails the import before anything is written.
            job.total_rows = import_files.count_rows(path, job.file_format, job.encoding)
            job.heartbeat_at = timezone.now()
            job.save(update_fields=["total_rows", "heartbeat_at"])
            with open_rejected(job.header) as (self.rejected_file, self.rejected_writer):
                with import_files.open_table(path, job.file_format, job.encoding) as table:
                    carried: list[ImportRow] = []
                    while True:
                        fresh = [ImportRow(number, cells)
                                 for number, cells in islice(table.rows, BATCH_SIZE - len(carried))]
                        if not fresh and not carried:
                            break
                        carried = self.batch(carried + fresh)
                self.finish()

    # A batch: convert, resolve, find duplicates, validate — then write the valid rows at once.
    def batch(self, rows: list[ImportRow], *, single: bool = False) -> list[ImportRow]:
        context = self.context
        width = len(self.job.header)
        for row in rows:
            if row.data or row.reason:
                continue  # carried over from the previous batch: already converted
            if len(row.cells) > width and any(cell != "" for cell in row.cells[width:]):
                row.reject(_("This row has %(cells)s cells but the header names %(columns)s columns.")
                           % {"cells": len(row.cells), "columns": width})
                continue
            row.data, problems = convert_row(context, self.columns, row.cells)
            if problems:
                row.reject(" ".join(problems))
            elif not row.data:
                row.reject(_("None of the imported columns has a value in this row."))
        self.importable.resolve(context, [row for row in rows if not row.reason])
        creates, updates, skipped, carried = self.sort_duplicates([row for row in rows if not row.reason])
        for row in creates:
            try:
                self.importable.build(context, row)
            except DomainError as error:
                row.reject(reason_of(context, error))
        creates = [row for row in creates if not row.reason]
        carried_ids = {id(row) for row in carried}
        try:
            changed = self.write(creates, updates)
        except DatabaseError as error:
            if not single:
                # Rare (e.g. a concurrent change): retry row by row so that good rows are still written.
                logger.warning("Import %s: a batch was refused (%s); retrying row by row", self.job.pk, error)
                for row in rows:
                    if id(row) not in carried_ids:
                        self.batch([ImportRow(row.number, row.cells)], single=True)
                return carried
            rows[0].reject(_("The database refused this row: %(error)s") % {"error": str(error)[:200]})
            creates, updates, skipped, changed = [], [], [], []
        # A dry run counts rows that would update a record an earlier row creates as updates.
        pending = sum(1 for row in creates if row.match == PENDING)
        unchanged = sum(1 for row in updates if not row.reason) - len(changed)
        done = [row for row in rows if id(row) not in carried_ids]
        self.count(done, created=len(creates) - pending, updated=len(changed) + pending,
                   skipped=len(skipped) + unchanged)
        return carried

    def sort_duplicates(self, rows: list[ImportRow]):
        """Split rows into creates, updates, skips and rows carried to the next batch (those that update
        a record an earlier row of this batch creates or updates)."""
        options, context = self.options, self.context
        if not options.duplicate_key or options.on_duplicate == "create":
            return rows, [], [], []
        key = self.importable.duplicate_keys[options.duplicate_key]
        wanted = set()
        for row in rows:
            row.keys = [value for value in key.values(row.data) if value]
            wanted.update(row.keys)
        existing = key.find(wanted) if wanted else {}
        # Earlier rows of the file: of this batch — or, as a dry run writes nothing, of any batch.
        seen: dict = context.state.setdefault("seen", {}) if context.dry_run else {}
        creates, updates, skipped, carried, claimed = [], [], [], [], set()
        for row in rows:
            row.match = next((existing[value] for value in row.keys if value in existing), None)
            earlier = any(value in seen for value in row.keys)
            if options.on_duplicate == "skip" and (row.match is not None or earlier):
                skipped.append(row)
            elif row.match is not None and (row.match not in claimed or context.dry_run):
                claimed.add(row.match)
                updates.append(row)
            elif row.match is not None:
                carried.append(row)
            elif earlier and context.dry_run:
                row.match = PENDING
                creates.append(row)  # validated as new; counted as an update
            elif earlier:
                carried.append(row)
            else:
                creates.append(row)
                seen.update((value, row.number) for value in row.keys)
        return creates, updates, skipped, carried

    def write(self, creates: list[ImportRow], updates: list[ImportRow]) -> list[ImportRow]:
        """Validate updates against their locked records, then write everything in one transaction."""
        importable, context = self.importable, self.context
        if context.dry_run:
            records = importable.model._default_manager.in_bulk([row.match for row in updates])
            for row in updates:
                self._change(row, records.get(row.match))
            return [row for row in updates if not row.reason]
        with transaction.atomic():
            records = importable.lock([row.match for row in updates]) if updates else {}
            for row in updates:
                self._change(row, records.get(row.match))
            valid_updates = [row for row in updates if not row.reason]
            importable.create_many(context, creates)
            changes = importable.update_many(context, valid_updates) if valid_updates else {}
            changed = [row for row in valid_updates if row.record.pk in changes]
            undo = [self._imported(row, created=True) for row in creates]
            undo += [self._imported(row, created=False, before=_changed_values(row.previous, changes[row.record.pk]))
                     for row in changed]
            bulk.insert_many(ImportedRecord, undo)
            self._save_counts(created=len(creates), updated=len(changed))
        self.growing.grew(len(creates))
        return changed

    def _imported(self, row: ImportRow, *, created: bool, before: dict | None = None) -> ImportedRecord:
        return ImportedRecord(job=self.job, content_type=self.content_type, object_id=row.record.pk, created=created,
                              before=before or {}, version_after=row.record.version)

    def _change(self, row: ImportRow, record) -> None:
        if record is None:
            row.reject(_("The matching record was deleted while importing."))
            return
        try:
            self.importable.change(self.context, row, record)
        except DomainError as error:
            row.reject(reason_of(self.context, error))

    def _save_counts(self, *, created: int, updated: int) -> None:
        """Written with the batch, so the counts always match what is in the database."""
        job = self.job
        job.created_count += created
        job.updated_count += updated
        self._update_while_running(created_count=job.created_count, updated_count=job.updated_count)

    def _update_while_running(self, **fields) -> None:
        if not jobs.running(self.job.pk).update(**fields):
            raise GivenUp()

    def count(self, done: list[ImportRow], *, created: int, updated: int, skipped: int) -> None:
        job = self.job
        for row in done:
            if row.reason:
                self.reject(row)
        if self.context.dry_run:
            job.created_count += created
            job.updated_count += updated
        job.skipped_count += skipped
        self.processed += len(done)
        job.progress = jobs.percent(self.processed, job.total_rows)
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["created_count", "updated_count", "skipped_count", "rejected_count",
                                "rejected_sample", "progress", "heartbeat_at"])

    def reject(self, row: ImportRow) -> None:
        job = self.job
        job.rejected_count += 1
        if len(job.rejected_sample) < REJECTED_SAMPLE:
            job.rejected_sample.append({"row": row.number, "reason": row.reason})
        width = len(job.header)
        cells = [cell_text(cell) for cell in row.cells]
        cells = cells[:width] + [""] * (width - len(cells)) + [_("Row %(row)s: %(reason)s")
                                                               % {"row": row.number, "reason": row.reason}]
        cells += [cell_text(cell) for cell in row.cells[width:]]
        self.rejected_writer.writerow([neutralise(cell) for cell in cells])

    def finish(self) -> None:
        job = self.job
        if job.rejected_count:
            self.rejected_file.flush()
            self.rejected_file.seek(0)
            job.rejected_file.save(f"rejected-{job.pk}.csv", File(self.rejected_file.buffer, name="rejected.csv"),
                                   save=False)
        job.status, job.progress, job.finished_at = JobStatus.DONE, 100, timezone.now()
        self._update_while_running(status=job.status, progress=job.progress, finished_at=job.finished_at,
                                   rejected_file=job.rejected_file.name, created_count=job.created_count,
                                   updated_count=job.updated_count, skipped_count=job.skipped_count,
                                   rejected_count=job.rejected_count, rejected_sample=job.rejected_sample)

    def fail(self, message: str) -> None:
        jobs.fail(self.job, message)


def message_of(error: DomainError) -> str:
    """The error's message, or its fields' messages when it has them."""
    messages = [str(message) for field_messages in error.fields.values() for message in field_messages]
    return " ".join(messages) if messages else str(error.message)


def _changed_values(previous: dict, changes: dict) -> dict:
    """What undo puts back: the raw previous value of each field the update changed."""
    changed = {key.split(".")[0] for key in changes}
    return {key: value for key, value in previous.items() if key in changed}


@contextmanager
def open_rejected(header: list[str]):
    """A temporary CSV for the rejected rows: the original columns and a reason, UTF-8 with a BOM so Excel
    reads it."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff")
        writer = csv.writer(handle)
        writer.writerow([neutralise(name) for name in header] + [_("reason")])
        yield handle, writer


def rejected_download_name(job: Job) -> str:
    stem = os.path.splitext(job.original_filename)[0] or job.entity
    return f"{stem}-rejected.csv"


__all__ = ["BATCH_SIZE", "ImportFileError", "column_name", "import_configure", "import_get",
           "import_run", "import_start", "import_upload", "preview"]
