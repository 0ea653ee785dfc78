from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.audit.models import SecurityEventKind
from rapport.audit.security import record_security_event
from rapport.core.errors import Refused
from rapport.core.http import domain_errors_as_http

from . import services
from .forms import LoginForm, PreferencesForm, TokenForm
from .models import ApiToken


class LoginView(auth_views.LoginView):
    """Django's login, refused while the account or the address is locked out."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if not services.login_locked_out(request=request, username=username):
            return super().post(request, *args, **kwargs)
        try:
            services.login_refuse_locked_out(request=request, username=username)
        except Refused as refusal:
            # Bound without the password, so a locked-out attempt never reaches the password check.
            form = self.form_class(request, data={"username": username})
            form.errors.clear()
            form.add_error(None, str(refusal.message))
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(settings.LOGIN_LOCKOUT_MINUTES * 60)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        services.session_remember(user=self.request.user, session_key=self.request.session.session_key)
        record_security_event(kind=SecurityEventKind.PASSWORD_CHANGED, request=self.request, user=self.request.user)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        record_security_event(kind=SecurityEventKind.PASSWORD_RESET, request=self.request,
                              username=form.cleaned_data["email"])
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        record_security_event(kind=SecurityEventKind.PASSWORD_CHANGED, request=self.request, user=form.user,
                              detail="reset by email")
        return response


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        services.user_set_language(actor=request.user, language=form.cleaned_data["language"])
        messages.success(request, _("Your preferences are saved."))
        response = redirect("preferences")
        if form.cleaned_data["language"]:
            response.set_cookie("django_language", form.cleaned_data["language"], samesite="Lax")
        else:
            response.delete_cookie("django_language")
        return response
    return render(request, "directory/preferences.html", {"form": form, "nav": "me"})


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.token_create(actor=request.user, user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    user_tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "directory/tokens.html",
                  {"form": form, "tokens": user_tokens, "new_token": new_token, "nav": "me"})


@login_required
@require_POST
@domain_errors_as_http
def token_revoke(request, token_id: int):
    token = services.token_revoke(actor=request.user, token_id=token_id)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("tokens")
