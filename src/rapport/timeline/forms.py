"""HTML input for activities, tasks and comments; the services validate and save."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapport.customers.models import Account, Contact
from rapport.directory.models import User
from rapport.records.forms import RecordForm, RecordPicker

from .models import Activity, ActivityKind, Task


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def limit_contacts_to_account(form) -> None:
    """The contact choices are the chosen account's people; the service checks what the user may see."""
    account_id = form.data.get("account") or form.initial.get("account") or form.instance.account_id
    account_id = account_id if str(account_id or "").isdigit() else None
    contacts = Contact.objects.filter(account_id=account_id) if account_id else Contact.objects.none()
    form.fields["contact"].queryset = contacts.order_by("full_name")
    form.fields["account"].queryset = Account.objects.all()


class ActivityForm(RecordForm):
    check_in = forms.BooleanField(label=_("Check in now (records the time of arrival)"), required=False)

    class Meta:
        model = Activity
        fields = ["kind", "subject", "body", "occurred_at", "duration_minutes", "outcome", "place", "account",
                  "contact"]
        widgets = {
            "kind": forms.RadioSelect(attrs={"class": "kind-choice"}),
            "occurred_at": DateTimeLocalInput(),
            "body": forms.Textarea(attrs={"rows": 3}),
            "account": RecordPicker("account"),
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["kind"].choices = ActivityKind.choices
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        limit_contacts_to_account(self)

    def service_data(self) -> dict:
        return {**super().service_data(), "check_in": self.cleaned_data.get("check_in", False)}


class TaskForm(RecordForm):
    class Meta:
        model = Task
        fields = ["title", "description", "assignee", "due_at", "priority", "remind_minutes_before", "account",
                  "contact"]
        widgets = {
            "due_at": DateTimeLocalInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "account": RecordPicker("account"),
        }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(is_active=True).select_related("team")
        self.fields["assignee"].label_from_instance = lambda user: (
            f"{user} · {user.department}" if user.department else str(user))
        if not self.instance.pk:
            self.fields["assignee"].initial = actor.pk
        limit_contacts_to_account(self)


ACTIVITY_FIELDSETS = [
    (_("Activity"), ["kind", "subject", "occurred_at", "duration_minutes", "outcome", "place", "account", "contact",
                     "body", "check_in"]),
]
TASK_FIELDSETS = [
    (_("Task"), ["title", "assignee", "due_at", "priority", "remind_minutes_before", "account", "contact",
                 "description"]),
]


class CompleteTaskForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=10000, widget=forms.Textarea(
        attrs={"rows": 2, "placeholder": _("Write a comment; @username notifies a colleague.")}))
