"""Email pages: writing to a contact, reading a message and its thread, uploading .eml files, filing
the messages no contact matched, downloading attachments. The work is done by mail/services.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from rapport.core.errors import InvalidInput, Refused
from rapport.core.feedback import form_errors
from rapport.core.http import domain_errors_as_http, file_download
from rapport.core.pagination import Ordering, paginate
from rapport.customers.models import Contact
from rapport.customers.selectors import contact_get
from rapport.records.forms import RecordPicker

from . import parsing
from . import services as mail

UNFILED_ORDER = Ordering("created_at", descending=True)


# --- forms (HTML input only; the services validate) --------------------------------------------


class EmailSendForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=parsing.SUBJECT_MAX)
    body = forms.CharField(label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 8}))
    cc = forms.CharField(label=gettext_lazy("Cc"), required=False, max_length=2000,
                         help_text=gettext_lazy("Other addresses, separated by commas."))
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def cc_addresses(self) -> list[str]:
        return [address.strip() for address in self.cleaned_data.get("cc", "").split(",") if address.strip()]


class EmailUploadForm(forms.Form):
    message = forms.FileField(label=gettext_lazy("Email file (.eml)"), widget=forms.ClearableFileInput(
        attrs={"accept": ".eml,message/rfc822"}))


class EmailFileForm(forms.Form):
    contact = forms.ModelChoiceField(label=gettext_lazy("File on contact"), queryset=Contact.objects.all(),
                                     widget=RecordPicker("contact"),
                                     error_messages={"required": gettext_lazy("Choose a contact."),
                                                     "invalid_choice": gettext_lazy("Choose a contact you can see.")})


# --- the contact page section ------------------------------------------------------------------


def contact_section_context(actor, contact: Contact) -> dict:
    """The "Send email" form on the contact page; no query of its own."""
    return {"contact": contact, "form": EmailSendForm(auto_id="id_email_%s")}


# --- writing -----------------------------------------------------------------------------------


@login_required
@domain_errors_as_http
def email_compose(request, contact_id: int):
    """Write to a contact; `?reply_to=<email id>` answers a message in its thread."""
    contact = contact_get(actor=request.user, contact_id=contact_id)
    reply_id = request.POST.get("reply_to") or request.GET.get("reply_to")
    replying_to = mail.email_get(actor=request.user, email_id=reply_id) if reply_id else None
    form = EmailSendForm(request.POST or None, initial=_reply_initial(replying_to) if replying_to else None)
    if request.method == "POST" and form.is_valid():
        try:
            mail.email_send(actor=request.user, contact=contact, subject=form.cleaned_data["subject"],
                            body=form.cleaned_data["body"], cc=form.cc_addresses(), reply_to=replying_to)
        except InvalidInput as error:
            form_errors(form, error.fields)
        except Refused as refusal:
            form.add_error(None, str(refusal.message))
        else:
            messages.success(request, _("Your email to %(person)s is sent and on the timeline.")
                             % {"person": contact})
            return redirect(contact.get_absolute_url())
    return render(request, "mail/compose.html", {
        "form": form, "contact": contact, "replying_to": replying_to, "nav": "contacts",
    }, status=422 if request.method == "POST" else 200)


def _reply_initial(original) -> dict:
    subject = original.subject
    if not subject.lower().startswith(("re:", "回复:", "回复：")):
        subject = f"Re: {subject}"
    when = timezone.localtime(original.sent_at).strftime("%Y-%m-%d %H:%M")
    quoted = "\n".join(f"> {line}" for line in original.body_text.splitlines()[:200])
    intro = _("On %(when)s, %(sender)s wrote:") % {"when": when, "sender": original.from_address}
    return {"subject": subject[:parsing.SUBJECT_MAX], "body": f"\n\n{intro}\n{quoted}", "reply_to": original.pk}


# --- reading -----------------------------------------------------------------------------------


@login_required
@domain_errors_as_http
def email_detail(request, pk: int):
    email = mail.email_get(actor=request.user, email_id=pk)
    activities = mail.email_activities(actor=request.user, email=email)
    return render(request, "mail/detail.html", {
        "email": email, "activities": activities,
        "attachments": list(email.attachments.order_by("id")),
        "thread": mail.email_thread(actor=request.user, email=email),
        "reply_contacts": [activity.contact for activity in activities
                           if activity.contact is not None and activity.contact.email],
        "unfiled": not activities and not email.activities.exists(),  # `activities` holds only visible ones
        "may_file": mail.may_handle_unfiled(request.user, email),
    })


@login_required
@domain_errors_as_http
def attachment_download(request, pk: int):
    """Always a download (never shown inline) of a file someone sent: it is not ours to trust."""
    attachment = mail.attachment_get(actor=request.user, attachment_id=pk)
    response = file_download(attachment.file, filename=attachment.filename, content_type="application/octet-stream",
                             missing=_("The file of this attachment is missing."))
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- receiving and filing ----------------------------------------------------------------------


@login_required
@domain_errors_as_http
def email_incoming(request):
    """Upload .eml files; list the messages no contact matched, to file or discard them."""
    upload_form = EmailUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload_form.is_valid():
        uploaded = upload_form.cleaned_data["message"]
        limit = parsing.max_message_bytes()
        try:
            if uploaded.size > limit:
                raise InvalidInput(fields={"message": [_("The message is larger than %(limit)s.")
                                                       % {"limit": filesizeformat(limit)}]})
            email, created = mail.email_receive(raw=uploaded.read(), received_by=request.user)
        except InvalidInput as error:
            form_errors(upload_form, error.fields)
        else:
            return _after_upload(request, email, created)
    try:
        page = paginate(mail.email_unfiled_list(actor=request.user), UNFILED_ORDER,
                        cursor=request.GET.get("cursor"), per_page=25, count=False)
    except InvalidInput as error:
        return HttpResponse(" ".join(str(m) for ms in error.fields.values() for m in ms), status=400)
    rows = [(email, EmailFileForm(auto_id=f"id_file{email.pk}_%s")) for email in page.rows]
    return render(request, "mail/incoming.html", {
        "upload_form": upload_form, "page": page, "rows": rows, "nav": "inbox",
        "max_size": parsing.max_message_bytes(),
    }, status=422 if request.method == "POST" else 200)


def _after_upload(request, email, created: bool):
    filed = email.activities.count()
    if not created:
        messages.info(request, _("This email was already stored; nothing changed."))
    elif filed:
        messages.success(request, ngettext("The email is on the timeline of %(count)d contact.",
                                           "The email is on the timeline of %(count)d contacts.", filed)
                         % {"count": filed})
    else:
        messages.warning(request, _("No contact has these addresses. File the email on a contact below."))
        return redirect(f"{reverse('mail:incoming')}#email-{email.pk}")
    return redirect("mail:detail", pk=email.pk)


@login_required
@require_POST
@domain_errors_as_http
def email_file(request, pk: int):
    email = mail.email_get(actor=request.user, email_id=pk)
    form = EmailFileForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(fields={"contact": form.errors.get("contact") or [_("Choose a contact.")]})
        activity = mail.email_file(actor=request.user, email=email, contact=form.cleaned_data["contact"])
    except (InvalidInput, Refused) as error:
        for message in [str(m) for ms in error.fields.values() for m in ms] or [str(error.message)]:
            messages.error(request, message)
        return redirect(f"{reverse('mail:incoming')}#email-{email.pk}")
    messages.success(request, _("The email is filed on %(person)s's timeline.") % {"person": activity.contact})
    return redirect("mail:incoming")


@login_required
@require_POST
@domain_errors_as_http
def email_discard(request, pk: int):
    email = mail.email_get(actor=request.user, email_id=pk)
    try:
        mail.email_discard(actor=request.user, email=email)
    except Refused as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("The email is discarded."))
    return redirect("mail:incoming")
