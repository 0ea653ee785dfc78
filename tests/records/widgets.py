"""A throwaway record type, declared as a new module would declare one — in the tests only.

Its own code is what is its own: the model, the rules of its services and selectors, its form's fields,
its API schemas and its list's fields. Everything else it gets from the platform by declaring itself.
"""

import datetime
from types import SimpleNamespace
from typing import Any

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import include, path
from ninja import Field, NinjaAPI, Router, Schema
from pydantic import BaseModel, ConfigDict

from rapport import access
from rapport.api import TokenAuth, api
from rapport.audit.recycle_bin import recyclables
from rapport.core.errors import InvalidInput
from rapport.core.ids import RecordId
from rapport.core.models import BusinessRecord, set_fields
from rapport.dataio import exports, imports
from rapport.dataio.record_data import register_record_data
from rapport.records import services as records
from rapport.records.custom_fields import apply_custom_values
from rapport.records.endpoints import RecordEndpoints, add_record_routes, relations_of
from rapport.records.forms import RecordForm, RecordPicker
from rapport.records.listings import RecordList
from rapport.records.lists import field_columns, model_filter, ownership_columns, ownership_filters
from rapport.records.operations import by_convention
from rapport.records.pages import RecordPages
from rapport.records.registry import RecordType, record_types, register_record_type
from rapport.records.views import record_urls
from rapport.search import registry as search


class Colour(models.TextChoices):
    RED = "red", "Red"
    BLUE = "blue", "Blue"


class Widget(BusinessRecord):
    name = models.CharField("name", max_length=100)
    size = models.PositiveIntegerField("size", null=True, blank=True)
    colour = models.CharField("colour", max_length=10, choices=Colour.choices, blank=True)
    account = models.ForeignKey("customers.Account", verbose_name="account", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta:
        app_label = "records"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return WIDGETS.url("detail", self.pk)


FIELDS = ("name", "size", "colour", "account")


def forget_the_model() -> None:
    """Out of the project's models while no test uses it: others must not meet its relation to accounts."""
    apps.all_models["records"].pop("widget", None)
    apps.clear_cache()


def bring_back_the_model() -> None:
    apps.register_model("records", Widget)
    apps.clear_cache()


forget_the_model()


# --- its own rules ---------------------------------------------------------------------------------------


def _apply(actor, widget: Widget, data: dict) -> None:
    errors: dict = {}
    set_fields(widget, data, FIELDS)
    apply_custom_values(widget, data, errors)
    if widget.account_id and "account" in data and not access.can(actor, "customers.view", widget.account):
        errors["account"] = ["Choose an account you can see."]
    try:
        widget.full_clean(exclude=["owner", "team", "created_by", "deleted_by", "custom", *errors])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise InvalidInput(fields=errors)


def widget_create(*, actor, data: dict) -> Widget:
    access.require(actor, "widgets.create")
    widget = Widget(owner=actor, team=actor.team, created_by=actor)
    _apply(actor, widget, data)
    with transaction.atomic():
        widget.save()
        records.records_created(actor=actor, model=Widget, records=[widget])
    return widget


def widget_update(*, actor, widget: Widget, data: dict, version: int | None) -> Widget:
    return records.record_update(actor=actor, record=widget, version=version,
                                 change=lambda current: _apply(actor, current, data))


def widget_delete(*, actor, widget: Widget) -> Widget:
    return records.record_delete(actor=actor, record=widget)


def widget_list(*, actor, filters):
    return WIDGET_LIST.apply(access.visible_to(actor, Widget.objects.all()), filters)


def widget_get(*, actor, widget_id, action: str = "view") -> Widget:
    return access.get_visible(actor, Widget.objects.all(), widget_id, action)


services = SimpleNamespace(widget_create=widget_create, widget_update=widget_update, widget_delete=widget_delete)
selectors = SimpleNamespace(widget_list=widget_list, widget_get=widget_get)


# --- its declarations --------------------------------------------------------------------------------------

WIDGET_LIST = RecordList(
    record_type_key="widget",
    model_filter_fields=lambda: (model_filter(Widget, "name", "text", sortable=True),
                                 model_filter(Widget, "size", "number", sortable=True),
                                 model_filter(Widget, "colour", "choice"),
                                 model_filter(Widget, "account", "relation"), *ownership_filters(Widget)),
    model_columns=lambda: (*field_columns(Widget, ["name", "size", "colour"], sortable={"name", "size"}),
                           *ownership_columns()),
    default_sort="name", default_columns=("name", "size", "colour", "owner"), name_fields=("name",),
)


class WidgetForm(RecordForm):
    class Meta:
        model = Widget
        fields = list(FIELDS)
        widgets = {"account": RecordPicker("account"), "colour": forms.Select}


WIDGETS = RecordPages(
    record_type_key="widget", nav="widgets", url_namespace="widgets", url_prefix="widget",
    new_label="New widget", form_class=WidgetForm, fieldsets=[("Widget", list(FIELDS))], list=WIDGET_LIST,
    operations=by_convention("widget", selectors, services), bulk_actions=("assign_owner", "delete"),
)


class WidgetPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = ""
    size: int | None = Field(None, ge=0, le=2_147_483_647)
    colour: str = ""
    account: RecordId | None = None
    custom: dict[str, Any] = Field(default_factory=dict)


class WidgetIn(WidgetPatch):
    name: str


class WidgetOut(Schema):
    id: int
    name: str
    size: int | None
    colour: str
    custom: dict[str, Any]
    version: int
    created_at: datetime.datetime


router = Router()
add_record_routes(router, RecordEndpoints(
    plural="widgets", singular="widget", schema_in=WidgetIn, schema_patch=WidgetPatch, schema_out=WidgetOut,
    relations=relations_of(Widget, ("account",)), list=WIDGET_LIST, operations=WIDGETS.operations,
))
# Its own API instance: the project's is built once per process, and this type lives only in these tests.
widget_api = NinjaAPI(title="Widgets", version="test", urls_namespace="widgets-api", auth=[TokenAuth()])
for exception, handler in api._exception_handlers.items():
    widget_api.add_exception_handler(exception, handler)
widget_api.add_router("/", router)

urlpatterns = [
    path("", include("rapport.urls")),
    path("", include((record_urls("widgets", WIDGETS), "widgets"))),
    path("widget-api/", widget_api.urls),
]


def register() -> None:
    access.register_module(access.Module(name="widgets", label="Widgets", models=(
        access.ScopedModel("records.Widget", owner_paths=("owner", "account__owner"), team_paths=("team",)),)))
    register_record_type(RecordType("widget", Widget, "widget", "Widgets", "widgets"))
    recyclables.register("records.widget", records.recyclable(Widget, "Widgets"))
    search.register(search.SearchType(
        name="widget", label="Widgets", model=Widget, permission_module="widgets",
        queryset=lambda: Widget.objects.select_related("account"), title=lambda widget: widget.name,
        subtitle=lambda widget: widget.get_colour_display(), text=lambda widget: search.custom_values(widget.custom),
        url=lambda widget: widget.get_absolute_url(),
        follows=(search.Follows("account", lambda ids: Widget.objects.filter(account_id__in=ids)
                                .values_list("pk", flat=True)),),
    ))
    register_record_data(WIDGETS)


def unregister() -> None:
    for registry, name in [(access.modules, "widgets"), (record_types, "widget"), (recyclables, "records.widget"),
                           (search.search_types, "widget"), (exports.exportables, "widgets"),
                           (imports.importables, "widgets")]:
        registry.unregister(name)
