"""Account and contact pages. Each view: parse input -> selector/service -> template; no rules here."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from rapport import access
from rapport.audit.history import display_value
from rapport.core.errors import DuplicatesFound, InvalidInput, StaleEdit
from rapport.core.filters import OPERATOR_LABELS
from rapport.core.http import domain_errors_as_http
from rapport.core.pagination import paginate
from rapport.directory.models import User
from rapport.directory.services import record_viewed
from rapport.records.custom_fields import definitions_for
from rapport.records.lists import load_only_shown
from rapport.records.models import SavedView

from . import filters as list_filters
from . import selectors, services
from .forms import ACCOUNT_FIELDSETS, CONTACT_FIELDSETS, AccountForm, BulkActionForm, ContactForm, SavedViewForm
from .models import Account
from .sections import account_header_facts, account_sections, contact_header_facts, contact_sections

PER_PAGE = 50


@dataclass(frozen=True)
class EntityPages:
    """What differs between the account and the contact pages."""

    entity: services.Entity
    nav: str
    title: str | Promise
    singular: str | Promise
    form_class: type
    fieldsets: list
    parse_filters: object
    filter_fields: object
    columns: object
    list_records: object
    get_record: object
    sections: object
    header_facts: object
    url_prefix: str
    create: object  # (actor, data, allow_duplicates) -> record
    update: object  # (actor, record, data, version) -> record
    delete: object  # (actor, record) -> record
    merge: object  # (actor, keep, other) -> record

    def url(self, action: str, *args) -> str:
        return reverse(f"customers:{self.url_prefix}_{action}", args=args)

    def list_urls(self) -> dict[str, str]:
        return {action: self.url(action) for action in ("list", "create", "bulk", "view_save")}


ACCOUNTS = EntityPages(
    entity=services.ACCOUNT, nav="accounts", title=gettext_lazy("Accounts"), singular=gettext_lazy("account"),
    form_class=AccountForm, fieldsets=ACCOUNT_FIELDSETS, parse_filters=list_filters.parse_account_filters,
    filter_fields=list_filters.account_filter_fields, columns=list_filters.account_columns,
    list_records=selectors.account_list,
    get_record=lambda actor, pk, **kw: selectors.account_get(actor=actor, account_id=pk, **kw),
    sections=account_sections, header_facts=account_header_facts, url_prefix="account",
    create=services.account_create,
    update=lambda actor, record, data, version: services.account_update(
        actor=actor, account=record, data=data, version=version),
    delete=lambda actor, record: services.account_delete(actor=actor, account=record),
    merge=services.account_merge,
)
CONTACTS = EntityPages(
    entity=services.CONTACT, nav="contacts", title=gettext_lazy("Contacts"), singular=gettext_lazy("contact"),
    form_class=ContactForm, fieldsets=CONTACT_FIELDSETS, parse_filters=list_filters.parse_contact_filters,
    filter_fields=list_filters.contact_filter_fields, columns=list_filters.contact_columns,
    list_records=selectors.contact_list,
    get_record=lambda actor, pk, **kw: selectors.contact_get(actor=actor, contact_id=pk, **kw),
    sections=contact_sections, header_facts=contact_header_facts, url_prefix="contact",
    create=services.contact_create,
    update=lambda actor, record, data, version: services.contact_update(
        actor=actor, contact=record, data=data, version=version),
    delete=lambda actor, record: services.contact_delete(actor=actor, contact=record),
    merge=services.contact_merge,
)
PAGES = {"accounts": ACCOUNTS, "contacts": CONTACTS}


# --- list -------------------------------------------------------------------------------------


@login_required
def record_list(request, pages: EntityPages):
    query = request.GET
    columns = {column.key: column for column in pages.columns()}
    try:
        filters = pages.parse_filters(query)
        visible = [columns[key] for key in filters.visible_columns]
        records = load_only_shown(pages.list_records(actor=request.user, filters=filters), visible,
                                  ordering_field=filters.ordering.field,
                                  name_fields=list_filters.NAME_FIELDS[pages.entity.model])
        page = paginate(records, filters.ordering, cursor=query.get("cursor"), per_page=PER_PAGE)
        errors = {}
    except InvalidInput as error:
        filters, visible, page, errors = None, [], None, error.fields
    base_query = QueryDict(mutable=True)
    for key, value in (filters.as_query_items() if filters else []):
        base_query.appendlist(key, value)
    filter_fields = pages.filter_fields()
    context = {
        "pages": pages, "nav": pages.nav, "filters": filters, "page": page, "errors": errors,
        "urls": pages.list_urls(),
        "columns": visible, "all_columns": list(columns.values()), "base_query": base_query.urlencode(),
        "sort_choices": _sort_choices(filter_fields),
        "field_choices": [("", "—"), *((field.name, capfirst(str(field.label))) for field in filter_fields)],
        "operator_choices": OPERATOR_LABELS.items(),
        "filter_rows": _filter_rows(filters), "saved_views": _saved_views(request.user, pages),
        "may_delete": access.can(request.user, "customers.delete"),
        "may_create": access.can(request.user, "customers.create"),
        "owner_choices": _owner_choices(),
    }
    template = "customers/record_list.html#results" if request.htmx and not request.htmx.boosted else \
        "customers/record_list.html"
    return render(request, template, context, status=400 if errors else 200)


def _owner_choices() -> list[tuple]:
    people = User.objects.filter(is_active=True).only("id", *User.NAME_FIELDS).order_by("username")
    return [("", _("New owner…")), *((person.pk, str(person)) for person in people)]


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


def _saved_views(user, pages: EntityPages):
    return SavedView.objects.filter(user=user, entity=pages.entity.key)


@login_required
@require_POST
def saved_view_create(request, pages: EntityPages):
    form = SavedViewForm(request.POST)
    query = request.POST.get("query", "")
    if form.is_valid():
        SavedView.objects.update_or_create(
            user=request.user, entity=pages.entity.key, name=form.cleaned_data["name"],
            defaults={"query": query[:2000]},
        )
        messages.success(request, _("View “%(name)s” saved.") % {"name": form.cleaned_data["name"]})
    else:
        messages.error(request, _("Give the view a name."))
    return redirect(f"{pages.url('list')}?{query}")


@login_required
@require_POST
def saved_view_delete(request, pages: EntityPages, view_id: int):
    SavedView.objects.filter(user=request.user, entity=pages.entity.key, pk=view_id).delete()
    return redirect(pages.url("list"))


@login_required
@require_POST
def bulk_action(request, pages: EntityPages):
    form = BulkActionForm(request.POST)
    back = f"{pages.url('list')}?{request.POST.get('query', '')}"
    if not form.is_valid():
        for messages_of_field in form.errors.values():
            for message in messages_of_field:
                messages.error(request, message)
        return redirect(back)
    action, ids = form.cleaned_data["action"], form.cleaned_data["ids"]
    try:
        if action == "assign_owner":
            count = services.bulk_assign_owner(actor=request.user, entity=pages.entity, ids=ids,
                                               owner=form.cleaned_data["owner"])
        elif action == "add_tag":
            count = services.bulk_add_tag(actor=request.user, entity=pages.entity, ids=ids,
                                          tag_name=form.cleaned_data["tag"])
        else:
            count = services.bulk_delete(actor=request.user, entity=pages.entity, ids=ids)
    except InvalidInput as error:
        for field_messages in error.fields.values():
            for message in field_messages:
                messages.error(request, message)
        return redirect(back)
    skipped = len(ids) - count
    messages.success(request, ngettext("%(count)d record changed.", "%(count)d records changed.", count)
                     % {"count": count})
    if skipped:
        messages.warning(request, ngettext("%(count)d record was skipped: you may not change it.",
                                           "%(count)d records were skipped: you may not change them.", skipped)
                         % {"count": skipped})
    return redirect(back)


# --- detail -----------------------------------------------------------------------------------


@login_required
@domain_errors_as_http
def record_detail(request, pages: EntityPages, pk: int):
    record = pages.get_record(request.user, pk)
    record_viewed(user=request.user, record=record)
    sections = [(section, section.context(request.user, record)) for section in pages.sections]
    header_facts = [(fact, fact.context(request.user, record)) for fact in pages.header_facts]
    context = {
        "pages": pages, "nav": pages.nav, "record": record, "sections": sections, "header_facts": header_facts,
        "history": selectors.record_history(record),
        "custom_values": _custom_values(pages, record),
        "may_edit": access.can(request.user, "customers.edit", record),
        "may_delete": access.can(request.user, "customers.delete", record),
    }
    if isinstance(record, Account):
        context["summary"] = selectors.account_summary(actor=request.user, account=record)
        context["billing_address"] = address_of(record, "billing")
        context["shipping_address"] = address_of(record, "shipping")
    return render(request, f"customers/{pages.entity.key}_detail.html", context)


def address_of(account: Account, kind: str) -> str:
    parts = ("street", "city", "province", "postcode", "country")
    return " ".join(value for part in parts if (value := getattr(account, f"{kind}_{part}")))


def _custom_values(pages: EntityPages, record) -> list[tuple[str, object]]:
    if not record.custom:
        return []  # most records: no need to read the definitions
    return [(d.label, record.custom.get(d.key)) for d in definitions_for(pages.entity.key) if d.key in record.custom]


# --- create and edit --------------------------------------------------------------------------


@login_required
@domain_errors_as_http
def record_create(request, pages: EntityPages):
    access.require(request.user, "customers.create")
    form = pages.form_class(request.POST or None, actor=request.user, initial=_initial_from(request))
    duplicates = []
    if request.method == "POST" and form.is_valid():
        try:
            record = pages.create(actor=request.user, data=form.service_data(),
                            allow_duplicates=request.POST.get("confirm_duplicates") == "1")
        except DuplicatesFound as found:
            duplicates = {"visible": found.duplicates, "hidden": found.hidden_count}
        except InvalidInput as error:
            form.add_service_errors(error.fields)
        else:
            messages.success(request, _("%(record)s is created.") % {"record": record})
            return redirect(record.get_absolute_url())
    return render(request, "customers/record_form.html", {
        "pages": pages, "nav": pages.nav, "form": form, "fieldsets": _fieldsets(pages, form),
        "duplicates": duplicates, "record": None,
    }, status=422 if request.method == "POST" else 200)


def _initial_from(request) -> dict:
    account_id = request.GET.get("account")
    return {"account": account_id} if account_id and account_id.isdigit() else {}


@login_required
@domain_errors_as_http
def record_edit(request, pages: EntityPages, pk: int):
    record = pages.get_record(request.user, pk, action="edit")
    form = pages.form_class(request.POST or None, instance=record, actor=request.user)
    stale_changes = None
    if request.method == "POST" and form.is_valid():
        try:
            record = pages.update(actor=request.user, record=record, data=form.service_data(),
                                  version=form.cleaned_data["version"] or 0)
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
    return render(request, "customers/record_form.html", {
        "pages": pages, "nav": pages.nav, "form": form, "fieldsets": _fieldsets(pages, form),
        "record": record, "stale_changes": stale_changes,
    }, status=status)


def _fieldsets(pages: EntityPages, form) -> list:
    sets = [(title, [form[name] for name in names]) for title, names in pages.fieldsets]
    if form.custom_definitions:
        sets.append((_("More fields"), form.custom_fields()))
    return sets


# --- delete and merge -------------------------------------------------------------------------


@login_required
@require_POST
@domain_errors_as_http
def record_delete(request, pages: EntityPages, pk: int):
    record = pages.get_record(request.user, pk)
    pages.delete(actor=request.user, record=record)
    messages.success(request, _("%(record)s is moved to the recycle bin.") % {"record": record})
    return redirect(pages.url("list"))


@login_required
@domain_errors_as_http
def record_merge(request, pages: EntityPages, pk: int):
    keep = pages.get_record(request.user, pk, action="edit")
    other_id = request.POST.get("other") or request.GET.get("other")
    other = pages.get_record(request.user, other_id, action="delete") if other_id else None
    if request.method == "POST" and other is not None:
        pages.merge(actor=request.user, keep=keep, other=other)
        messages.success(request, _("%(other)s is merged into %(keep)s.") % {"other": other, "keep": keep})
        return redirect(keep.get_absolute_url())
    fields = [(field.verbose_name, display_value(keep, field), display_value(other, field) if other else "")
              for field in (keep._meta.get_field(name) for name in pages.entity.editable)]
    candidates = services.find_duplicates(pages.entity, keep)
    return render(request, "customers/record_merge.html", {
        "pages": pages, "nav": pages.nav, "keep": keep, "other": other, "fields": fields,
        "candidates": [c for c in candidates if access.can(request.user, "customers.delete", c)],
    })


# --- lookups for pickers ----------------------------------------------------------------------


@login_required
def account_lookup(request):
    text = request.GET.get("q", "").strip()
    accounts = []
    if text:
        accounts = list(selectors.account_lookup(actor=request.user, text=text))
    return render(request, "customers/widgets/lookup_results.html", {"records": accounts, "text": text})

