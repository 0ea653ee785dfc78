"""HTML input every record type shares: the record picker, the record form's owner, team, tags, custom
fields and version, the bulk action and saved view forms. Text becomes values here; services validate."""

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rapport import access
from rapport.core.ids import is_record_id

from .custom_fields import PREFIX as CUSTOM_PREFIX
from .custom_fields import definitions_for, form_field
from .registry import record_type, record_type_of
from .tags import has_tags


class RecordPicker(forms.TextInput):
    """A search box that looks records of one type up as you type (htmx) and keeps the chosen id hidden."""

    template_name = "records/widgets/record_picker.html"

    def __init__(self, record_type_key: str, attrs=None):
        super().__init__(attrs)
        self.record_type_key = record_type_key

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        model = record_type(self.record_type_key).model
        record = model.objects.filter(pk=value).first() if str(value or "").isdigit() else None
        context["widget"].update(lookup_url=reverse("records:lookup", args=[self.record_type_key]),
                                 label=str(record) if record else "")
        return context


class RecordForm(forms.ModelForm):
    """A record type's form: Meta.fields are what the service may set; owner and team offer whom the user
    may give records to; tags (when the type has them) as comma-separated text; then its custom fields."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        kind = record_type_of(self._meta.model)
        self._limit_assignment(actor, f"{kind.permission_module}.{'edit' if self.instance.pk else 'create'}")
        if has_tags(self._meta.model):
            self.fields["tags_text"] = forms.CharField(label=_("Tags"), required=False,
                                                       help_text=_("Separate tags with commas."))
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            if "tags_text" in self.fields:
                self.fields["tags_text"].initial = ", ".join(tag.name for tag in self.instance.tags.all())
        self.custom_definitions = definitions_for(kind.key)
        for definition in self.custom_definitions:
            field = form_field(definition)
            field.initial = self.instance.custom.get(definition.key)
            self.fields[f"{CUSTOM_PREFIX}{definition.key}"] = field

    def _limit_assignment(self, actor, permission: str) -> None:
        if "owner" in self.fields:
            people = get_user_model().objects.filter(is_active=True).select_related("team")
            allowed = [user.pk for user in people if access.may_assign_owner(actor, permission, user)]
            self.fields["owner"].queryset = people.filter(pk__in=allowed)
            self.fields["owner"].required = False
            if not self.instance.pk:
                self.fields["owner"].initial = actor.pk
        if "team" in self.fields:
            teams = self.fields["team"].queryset.model.objects.all()
            self.fields["team"].queryset = teams.filter(
                pk__in=[team.pk for team in teams if access.may_assign_team(actor, permission, team)])
            if not self.instance.pk:
                self.fields["team"].initial = actor.team_id

    def _post_clean(self):
        """Skip model validation here: the service validates, for every entry path alike."""

    def custom_fields(self):
        return [self[f"{CUSTOM_PREFIX}{d.key}"] for d in self.custom_definitions]

    def service_data(self) -> dict:
        """What the service gets: model fields, tags and custom values — never HTTP."""
        data = {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}
        if "owner" in data and data["owner"] is None:
            del data["owner"]
        if "tags_text" in self.fields:
            data["tags"] = [name.strip() for name in self.cleaned_data.get("tags_text", "").split(",")]
        data["custom"] = {d.key: _json_value(self.cleaned_data.get(f"{CUSTOM_PREFIX}{d.key}"))
                          for d in self.custom_definitions}
        return data

    def add_service_errors(self, fields: dict) -> None:
        for name, messages in fields.items():
            target = name.replace("custom.", CUSTOM_PREFIX) if name.startswith("custom.") else name
            if target == "tags":
                target = "tags_text"
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


def _json_value(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is not None and not isinstance(value, bool | str | list | int):
        return str(value)
    return value


class BulkActionForm(forms.Form):
    ACTIONS = {"assign_owner": _("Assign owner"), "add_tag": _("Add tag"), "delete": _("Delete")}
    action = forms.ChoiceField(label=_("Action"))
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=True,
                                         error_messages={"required": _("Select at least one record.")})
    owner = forms.ModelChoiceField(label=_("New owner"), queryset=get_user_model().objects.filter(is_active=True),
                                   required=False)
    tag = forms.CharField(label=_("Tag"), max_length=50, required=False)

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(action, self.ACTIONS[action]) for action in actions]
        self.fields["ids"].valid_value = lambda value: str(value).isdigit() and is_record_id(int(value))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "assign_owner" and not cleaned.get("owner"):
            self.add_error("owner", _("Choose the new owner."))
        if cleaned.get("action") == "add_tag" and not (cleaned.get("tag") or "").strip():
            self.add_error("tag", _("Enter a tag."))
        return cleaned


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("View name"), max_length=100)
