"""What email adds to access, the contact page and the inbox: it registers into the timeline, which does not
know it."""

from django.utils.translation import gettext_lazy as _

from rapport import access
from rapport.core.icons import icons
from rapport.customers.sections import Section, contact_sections
from rapport.timeline.registry import InboxLink, inbox_links

from . import views
from .services import email_readers


def register_all() -> None:
    # Who may read a stored message is a rule of its own (see email_readers), not a role's scope: no grants.
    access.register_module(access.Module(name="mail", label=_("Email"), actions={}, models=(
        access.ScopedModel("mail.EmailMessage", owner_paths=(), team_paths=(), rule=email_readers),)), order=30)
    contact_sections.register("email", Section(
        title=_("Email"), template="mail/section.html", context=views.contact_section_context,
    ), order=4)  # above the timeline, folded until opened
    icons.register("reply", "M9 14 4 9l5-5M4 9h10a6 6 0 0 1 6 6v4")
    inbox_links.register("incoming-email", InboxLink(_("Incoming email: upload, file"), "mail:incoming", icon="email"))
