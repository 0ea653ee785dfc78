"""Import and export for any record type, from its pages' declaration: `register_record_data(pages)`.

The export is its list: the same filters, scope, order and visible columns. The import takes the fields of
its form and its custom fields; each row is checked by creating it through the type's own services inside
a savepoint that is rolled back, then created for real with the batch — so an imported row obeys exactly
the rules of one typed into the form. (Accounts and contacts have imports of their own, with duplicate
keys, header names of legacy files and bulk writes.)
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction

from rapport.core.errors import InvalidInput
from rapport.records.endpoints import relations_of
from rapport.records.pages import RecordPages

from . import exports, imports
from .cells import BOOL, CHOICE, DATE, DECIMAL, INTEGER, TEXT
from .imports import ImportField


def register_record_data(pages: RecordPages, *, order: int = 100) -> None:
    """Make the record type's list exportable and its records importable, under the name of its list."""
    exports.register(pages.nav, record_exportable(pages), order=order)
    imports.register(RecordImport(pages), order=order)


def record_exportable(pages: RecordPages) -> exports.Exportable:
    return exports.Exportable(
        title=pages.type.plural, permission=f"{pages.permission}.export",
        list_url_name=f"{pages.url_namespace}:{pages.url_prefix}_list", parse_filters=pages.list.parse,
        select=pages.operations.select, filter_fields=pages.list.filter_fields,
        columns=lambda filters: _shown_columns(pages, filters),
    )


def _shown_columns(pages: RecordPages, filters) -> list[exports.ExportColumn]:
    columns = {column.key: column for column in pages.list.columns()}
    return [exports.ExportColumn(key, columns[key].label, columns[key].value) for key in filters.visible_columns]


class _CheckedOnly(Exception):
    """Raised to roll back the savepoint in which a row was checked."""


class RecordImport(imports.Importable):
    duplicate_keys = {}

    def __init__(self, pages: RecordPages):
        self.pages, self.name = pages, pages.nav
        self.label, self.model = pages.type.plural, pages.type.model
        self.permission_module = pages.permission
        self.list_url_name = f"{pages.url_namespace}:{pages.url_prefix}_list"

    def fields(self) -> list[ImportField]:
        model_fields = [self.model._meta.get_field(name) for name in self.pages.form_class._meta.fields]
        return [*(_import_field(field) for field in model_fields if not field.many_to_many),
                *imports.custom_import_fields(self.pages.record_type_key)]

    def begin(self, context) -> None:
        """How an id in a cell becomes the record it names — only one the importer may see."""
        names = [name for name in self.pages.form_class._meta.fields if self.model._meta.get_field(name).many_to_one]
        context.state["relations"] = relations_of(self.model, names)

    def build(self, context, row) -> None:
        data = self._service_data(context, row.data)
        try:
            with transaction.atomic():
                self.pages.operations.create(context.actor, data, True)
                raise _CheckedOnly
        except _CheckedOnly:
            return  # valid: nothing was kept

    def create_many(self, context, rows) -> None:
        for row in rows:
            row.record = self.pages.operations.create(context.actor, self._service_data(context, row.data), True)

    def delete_created(self, actor, ids: list[int]) -> int:
        deleted = 0
        for record in self.model.objects.filter(pk__in=ids):
            self.pages.operations.delete(actor, record)
            deleted += 1
        return deleted

    def _service_data(self, context, converted: dict) -> dict:
        data, errors = {"custom": {}}, {}
        for key, value in converted.items():
            if key.startswith(imports.CUSTOM_PREFIX):
                data["custom"][key.removeprefix(imports.CUSTOM_PREFIX)] = value
            elif key in context.state["relations"]:
                try:
                    data[key] = context.state["relations"][key](context.actor, value)
                except ValidationError as error:
                    errors[key] = list(error.messages)
            else:
                data[key] = value
        if errors:
            raise InvalidInput(fields=errors)
        return data


def _import_field(field: models.Field) -> ImportField:
    label = field.verbose_name
    if field.choices:
        return ImportField(field.name, label, CHOICE, choices=tuple(field.flatchoices), aliases=(field.name,),
                           required=not field.blank)
    return ImportField(field.name, label, _kind(field), aliases=(field.name,), required=not field.blank)


def _kind(field: models.Field) -> str:
    if field.many_to_one or isinstance(field, models.IntegerField):
        return INTEGER
    if isinstance(field, models.DecimalField | models.FloatField):
        return DECIMAL
    if isinstance(field, models.DateField):  # dates and times: a day
        return DATE
    if isinstance(field, models.BooleanField):
        return BOOL
    return TEXT
