"""HTML input for accounts and contacts: turns text into values; the services validate and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport import access
from rapport.directory.models import Team, User
from rapport.records.custom_fields import PREFIX as CUSTOM_PREFIX
from rapport.records.custom_fields import definitions_for, form_field

from .models import Account, Contact
from .services import ACCOUNT, CONTACT


class RecordPicker(forms.TextInput):
    """A search box that looks records up as you type (htmx) and keeps the chosen id hidden."""

    template_name = "customers/widgets/record_picker.html"

    def __init__(self, lookup_url_name: str, attrs=None):
        super().__init__(attrs)
        self.lookup_url_name = lookup_url_name

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        record = Account.objects.filter(pk=value).first() if str(value or "").isdigit() else None
        context["widget"].update(lookup_url_name=self.lookup_url_name, label=str(record) if record else "")
        return context


class RecordForm(forms.ModelForm):
    """Shared by accounts and contacts: owner/team choices in scope, tags, custom fields, version."""

    entity = None
    tags_text = forms.CharField(label=_("Tags"), required=False, help_text=_("Separate tags with commas."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        permission = "customers.edit" if self.instance.pk else "customers.create"
        people = [user for user in User.objects.filter(is_active=True).select_related("team")
                  if access.may_assign_owner(actor, permission, user)]
        self.fields["owner"].queryset = User.objects.filter(pk__in=[user.pk for user in people])
        self.fields["owner"].required = False
        self.fields["team"].queryset = Team.objects.filter(
            pk__in=[team.pk for team in Team.objects.all() if access.may_assign_team(actor, permission, team)]
        )
        if self.instance.pk:
            self.fields["tags_text"].initial = ", ".join(tag.name for tag in self.instance.tags.all())
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["owner"].initial = actor.pk
            self.fields["team"].initial = actor.team_id
        self.custom_definitions = definitions_for(self.entity.key)
        for definition in self.custom_definitions:
            field = form_field(definition)
            field.initial = self.instance.custom.get(definition.key)
            self.fields[f"{CUSTOM_PREFIX}{definition.key}"] = field

    def _post_clean(self):
        """Skip model validation here: the service validates, for every entry path alike."""

    def custom_fields(self):
        return [self[f"{CUSTOM_PREFIX}{d.key}"] for d in self.custom_definitions]

    def service_data(self) -> dict:
        """What the service gets: model fields, tags and custom values — never HTTP."""
        data = {name: self.cleaned_data[name] for name in self.entity.editable if name in self.cleaned_data}
        if data.get("owner") is None:
            data.pop("owner", None)
        data["tags"] = [name.strip() for name in self.cleaned_data.get("tags_text", "").split(",")]
        data["custom"] = {d.key: self._json_value(self.cleaned_data.get(f"{CUSTOM_PREFIX}{d.key}"))
                          for d in self.custom_definitions}
        return data

    @staticmethod
    def _json_value(value):
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if value is not None and not isinstance(value, bool | str | list | int):
            return str(value)
        return value

    def add_service_errors(self, fields: dict) -> None:
        for name, messages in fields.items():
            target = name.replace("custom.", CUSTOM_PREFIX) if name.startswith("custom.") else name
            if target == "tags":
                target = "tags_text"
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


class AccountForm(RecordForm):
    entity = ACCOUNT

    class Meta:
        model = Account
        fields = [name for name in ACCOUNT.editable]
        widgets = {"parent": RecordPicker("customers:account_lookup")}


class ContactForm(RecordForm):
    entity = CONTACT

    class Meta:
        model = Contact
        fields = [name for name in CONTACT.editable]
        widgets = {
            "account": RecordPicker("customers:account_lookup"),
            "birthday": forms.DateInput(attrs={"type": "date"}),
            "consent_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["full_name"].help_text = _("As the person writes it, e.g. 张伟 or Jane Smith.")


ACCOUNT_FIELDSETS = [
    (_("Company"), ["name", "legal_name", "industry", "sic_code", "employees", "annual_revenue", "currency",
                    "website", "parent", "lifecycle_stage", "source", "rating", "external_id"]),
    (_("Phones and emails"), ["phone", "other_phone", "email", "other_email"]),
    (_("Billing address"), ["billing_country", "billing_province", "billing_city", "billing_street",
                            "billing_postcode"]),
    (_("Shipping address"), ["shipping_country", "shipping_province", "shipping_city", "shipping_street",
                             "shipping_postcode"]),
    (_("Ownership"), ["owner", "team", "tags_text"]),
]
CONTACT_FIELDSETS = [
    (_("Person"), ["full_name", "given_name", "family_name", "title", "department", "account", "birthday",
                   "external_id"]),
    (_("Phones and emails"), ["mobile_phone", "work_phone", "email", "other_email", "preferred_channel"]),
    (_("Marketing consent"), ["marketing_consent", "consent_at", "consent_method"]),
    (_("Ownership"), ["owner", "team", "tags_text"]),
]


class BulkActionForm(forms.Form):
    ACTIONS = [("assign_owner", _("Assign owner")), ("add_tag", _("Add tag")), ("delete", _("Delete"))]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=True,
                                         error_messages={"required": _("Select at least one record.")})
    owner = forms.ModelChoiceField(label=_("New owner"), queryset=User.objects.filter(is_active=True),
                                   required=False)
    tag = forms.CharField(label=_("Tag"), max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].valid_value = lambda value: str(value).isdigit()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "assign_owner" and not cleaned.get("owner"):
            self.add_error("owner", _("Choose the new owner."))
        if cleaned.get("action") == "add_tag" and not (cleaned.get("tag") or "").strip():
            self.add_error("tag", _("Enter a tag."))
        return cleaned


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("View name"), max_length=100)
