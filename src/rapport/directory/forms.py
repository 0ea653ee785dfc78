from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

EMAIL_MAX_LENGTH = 254


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("Username or email"), max_length=EMAIL_MAX_LENGTH,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or email and the password do not match. The password is case-sensitive."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django narrows the field to the username's length; an email address may be longer.
        self.fields["username"].max_length = EMAIL_MAX_LENGTH
        self.fields["username"].widget.attrs["maxlength"] = EMAIL_MAX_LENGTH


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("Same as my browser")), *settings.LANGUAGES])


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100,
                           help_text=_("What the token is for, e.g. “ERP sync”."))
