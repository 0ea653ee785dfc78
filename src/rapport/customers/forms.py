"""HTML input for accounts and contacts: turns text into values; the services validate and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.records.forms import RecordForm, RecordPicker

from .models import Account, Contact
from .services import ACCOUNT, CONTACT


class AccountForm(RecordForm):
    class Meta:
        model = Account
        fields = list(ACCOUNT.editable)
        widgets = {"parent": RecordPicker("account")}


class ContactForm(RecordForm):
    class Meta:
        model = Contact
        fields = list(CONTACT.editable)
        widgets = {
            "account": RecordPicker("account"),
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
