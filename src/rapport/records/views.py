"""The pages of every record type (see pages.RecordPages): parse input -> selector/service -> template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from rapport import access
from rapport.audit.history import display_value, history_of
from rapport.core.errors import DuplicatesFound, InvalidInput, StaleEdit
from rapport.core.feedback import flash_errors
from rapport.core.filters import OPERATOR_LABELS
from rapport.core.http import domain_errors_as_http
from rapport.core.pagination import paginate
from rapport.directory.services import record_viewed

from . import selectors, services
from .custom_fields import definitions_for
from .forms import BulkActionForm, SavedViewForm
from .lists import load_only_shown
from .pages import DEFAULT_DETAIL_TEMPLATE, RecordPages, list_links
from .registry import record_type, record_types

PER_PAGE = 50
HISTORY_SHOWN = 50


def record_urls(segment: str, pages: RecordPages, *, list_route: str = "") -> list:
    """The URL patterns of one record type's pages, under `segment/` ("accounts/"); the list at
    `segment/list_route`."""
    routes = [
        (list_route, record_list, "list"),
        ("new", record_create, "create"),
        ("bulk", bulk_action, "bulk"),
        ("views", saved_view_create, "view_save"),
        ("views/<int:view_id>/delete", saved_view_delete, "view_delete"),
        ("<int:pk>/", record_detail, "detail"),
        ("<int:pk>/edit", record_edit, "edit"),
        ("<int:pk>/delete", record_delete, "delete"),
    ]
    if pages.merge:
        routes.append(("<int:pk>/merge", record_merge, "merge"))
    return [path(f"{segment}/{route}", view, {"pages": pages}, name=f"{pages.url_prefix}_{action}")
            for route, view, action in routes]


# --- list -------------------------------------------------------------------------------------


@login_required
def record_list(request, pages: RecordPages):
    query = request.GET
    columns = {column.key: column for column in pages.list.columns()}
    try:
        filters = pages.list.parse(query)
        visible = [columns[key] for key in filters.visible_columns]
        records = load_only_shown(pages.operations.select(request.user, filters), visible,
                                  ordering_field=filters.ordering.field, name_fields=pages.list.name_fields)
        page = paginate(records, filters.ordering, cursor=query.get("cursor"), per_page=PER_PAGE)
        errors = {}
    except InvalidInput as error:
        filters, visible, page, errors = None, [], None, error.fields
    base_query = QueryDict(mutable=True)
    for key, value in (filters.as_query_items() if filters else []):
        base_query.appendlist(key, value)
    filter_fields = pages.list.filter_fields()
    shown = {column.key for column in visible}
    context = {
        "pages": pages, "nav": pages.nav, "filters": filters, "page": page, "errors": errors,
        "urls": pages.list_urls(),
        "columns": visible, "base_query": base_query.urlencode(), "url_of": pages.detail_url_of(),
        "column_choices": [(column, column.key in shown) for column in columns.values()],
        "sort_choices": _sort_choices(filter_fields),
        "field_choices": [("", "—"), *((field.name, capfirst(str(field.label))) for field in filter_fields)],
        "operator_choices": OPERATOR_LABELS.items(),
        "filter_rows": _filter_rows(filters),
        "saved_views": selectors.saved_views_of(request.user, pages.record_type_key),
        "may_delete": access.can(request.user, f"{pages.permission}.delete"),
        "may_create": access.can(request.user, f"{pages.permission}.create"),
        "owner_choices": _owner_choices(request.user) if "assign_owner" in pages.bulk_actions else [],
        "list_links": [link for links in list_links for link in links(request.user, pages, base_query.urlencode())],
    }
    template = "records/record_list.html#results" if request.htmx and not request.htmx.boosted else \
        "records/record_list.html"
    return render(request, template, context, status=400 if errors else 200)


def _owner_choices(actor) -> list[tuple]:
    return [("", _("New owner…")), *selectors.people_to_assign(actor)]


def _sort_choices(filter_fields) -> list[tuple[str, str]]:
    choices = []
    for field in filter_fields:
        if field.sortable:
            label = capfirst(str(field.label))
            choices += [(field.name, f"{label} ↑"), (f"-{field.name}", f"{label} ↓")]
    return choices


def _filter_rows(filters) -> list[dict]:
    rows = [{"field": c.field.name, "op": c.op, "value": c.raw} for c in (filters.conditions if filters else [])]
    return [*rows, {"field": "", "op": "", "value": ""}]


@login_required
@require_POST
def saved_view_create(request, pages: RecordPages):
    form = SavedViewForm(request.POST)
    query = request.POST.get("query", "")
    if form.is_valid():
        services.saved_view_save(actor=request.user, entity=pages.record_type_key, name=form.cleaned_data["name"],
                                 query=query)
        messages.success(request, _("View “%(name)s” saved.") % {"name": form.cleaned_data["name"]})
    else:
        messages.error(request, _("Give the view a name."))
    return redirect(f"{pages.url('list')}?{query}")


@login_required
@require_POST
def saved_view_delete(request, pages: RecordPages, view_id: int):
    services.saved_view_delete(actor=request.user, entity=pages.record_type_key, view_id=view_id)
    return redirect(pages.url("list"))


@login_required
@require_POST
def bulk_action(request, pages: RecordPages):
    form = BulkActionForm(request.POST, actions=pages.bulk_actions)
    back = f"{pages.url('list')}?{request.POST.get('query', '')}"
    if not form.is_valid():
        flash_errors(request, form.errors)
        return redirect(back)
    try:
        count = _apply_bulk_action(request.user, pages, form.cleaned_data)
    except InvalidInput as error:
        flash_errors(request, error.fields)
        return redirect(back)
    ids = form.cleaned_data["ids"]
    messages.success(request, ngettext("%(count)d record changed.", "%(count)d records changed.", count)
                     % {"count": count})
    if skipped := len(ids) - count:
        messages.warning(request, ngettext("%(count)d record was skipped: you may not change it.",
                                           "%(count)d records were skipped: you may not change them.", skipped)
                         % {"count": skipped})
    return redirect(back)


def _apply_bulk_action(actor, pages: RecordPages, cleaned: dict) -> int:
    model, ids = pages.type.model, cleaned["ids"]
    if cleaned["action"] == "assign_owner":
        return services.records_assign_owner(actor=actor, model=model, ids=ids, owner=cleaned["owner"])
    if cleaned["action"] == "add_tag":
        return services.records_add_tag(actor=actor, model=model, ids=ids, tag_name=cleaned["tag"])
    return services.records_delete(actor=actor, model=model, ids=ids)


# --- detail -----------------------------------------------------------------------------------


@login_required
@domain_errors_as_http
def record_detail(request, pages: RecordPages, pk: int):
    record = pages.operations.get(request.user, pk)
    record_viewed(user=request.user, record=record)
    context = {
        "pages": pages, "nav": pages.nav, "record": record,
        "history": list(history_of(record)[:HISTORY_SHOWN]),
        "custom_values": _custom_values(pages, record),
        "may_edit": access.can(request.user, f"{pages.permission}.edit", record),
        "may_delete": access.can(request.user, f"{pages.permission}.delete", record),
        **pages.detail_context(request.user, record),
    }
    if pages.detail_template == DEFAULT_DETAIL_TEMPLATE:  # a type's own page shows its fields its own way
        context["facts"] = _facts(pages, record)
    return render(request, pages.detail_template, context)


def _facts(pages: RecordPages, record) -> list[tuple]:
    fields = [record._meta.get_field(name) for name in pages.form_class._meta.fields]
    return [(field.verbose_name, display_value(record, field)) for field in fields]


def _custom_values(pages: RecordPages, record) -> list[tuple[str, object]]:
    if not record.custom:
        return []  # most records: no need to read the definitions
    return [(d.label, record.custom.get(d.key)) for d in definitions_for(pages.record_type_key)
            if d.key in record.custom]


# --- create and edit --------------------------------------------------------------------------


@login_required
@domain_errors_as_http
def record_create(request, pages: RecordPages):
    access.require(request.user, f"{pages.permission}.create")
    form = pages.form_class(request.POST or None, actor=request.user, initial=pages.initial(request.GET))
    duplicates = []
    if request.method == "POST" and form.is_valid():
        try:
            allow_duplicates = request.POST.get("confirm_duplicates") == "1"
            record = pages.operations.create(request.user, form.service_data(), allow_duplicates)
        except DuplicatesFound as found:
            duplicates = {"visible": found.duplicates, "hidden": found.hidden_count}
        except InvalidInput as error:
            form.add_service_errors(error.fields)
        else:
            messages.success(request, pages.created_message(record))
            return redirect(pages.after_create(record))
    return render(request, "records/record_form.html", {
        "pages": pages, "nav": pages.nav, "form": form, "fieldsets": _fieldsets(pages, form),
        "duplicates": duplicates, "record": None,
    }, status=422 if request.method == "POST" else 200)


@login_required
@domain_errors_as_http
def record_edit(request, pages: RecordPages, pk: int):
    record = pages.operations.get(request.user, pk, action="edit")
    form = pages.form_class(request.POST or None, instance=record, actor=request.user)
    stale_changes = None
    if request.method == "POST" and form.is_valid():
        try:
            version = form.cleaned_data["version"] or 0
            record = pages.operations.update(request.user, record, form.service_data(), version)
        except StaleEdit as stale:
            stale_changes = stale.changes
            form.data = form.data.copy()
            form.data["version"] = stale.obj.version
        except InvalidInput as error:
            form.add_service_errors(error.fields)
        else:
            messages.success(request, _("%(record)s is saved.") % {"record": record})
            return redirect(record.get_absolute_url())
    status = 200 if request.method == "GET" else (409 if stale_changes is not None else 422)
    return render(request, "records/record_form.html", {
        "pages": pages, "nav": pages.nav, "form": form, "fieldsets": _fieldsets(pages, form),
        "record": record, "stale_changes": stale_changes,
    }, status=status)


def _fieldsets(pages: RecordPages, form) -> list:
    sets = [(title, [form[name] for name in names]) for title, names in pages.fieldsets]
    if form.custom_definitions:
        sets.append((_("More fields"), form.custom_fields()))
    return sets


# --- delete and merge -------------------------------------------------------------------------


@login_required
@require_POST
@domain_errors_as_http
def record_delete(request, pages: RecordPages, pk: int):
    record = pages.operations.get(request.user, pk)
    pages.operations.delete(request.user, record)
    messages.success(request, _("%(record)s is moved to the recycle bin.") % {"record": record})
    return redirect(pages.after_delete(record) if pages.after_delete else pages.url("list"))


@login_required
@domain_errors_as_http
def record_merge(request, pages: RecordPages, pk: int):
    keep = pages.operations.get(request.user, pk, action="edit")
    other_id = request.POST.get("other") or request.GET.get("other")
    other = pages.operations.get(request.user, other_id, action="delete") if other_id else None
    if request.method == "POST" and other is not None:
        pages.merge(request.user, keep, other)
        messages.success(request, _("%(other)s is merged into %(keep)s.") % {"other": other, "keep": keep})
        return redirect(keep.get_absolute_url())
    fields = [(field.verbose_name, display_value(keep, field), display_value(other, field) if other else "")
              for field in (keep._meta.get_field(name) for name in pages.form_class._meta.fields)]
    candidates = pages.duplicates(keep) if pages.duplicates else []
    return render(request, "records/record_merge.html", {
        "pages": pages, "nav": pages.nav, "keep": keep, "other": other, "fields": fields,
        "candidates": [c for c in candidates if access.can(request.user, f"{pages.permission}.delete", c)],
    })


# --- the record picker ------------------------------------------------------------------------


@login_required
def record_lookup(request, key: str):
    if key not in record_types:
        raise Http404
    text = request.GET.get("q", "").strip()
    kind = record_type(key)
    found = selectors.record_lookup(actor=request.user, record_type=kind, text=text) if text else []
    return render(request, "records/widgets/lookup_results.html",
                  {"choices": [(record, kind.hint(record)) for record in found], "text": text})
