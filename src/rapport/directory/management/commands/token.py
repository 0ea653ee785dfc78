from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rapport.core.errors import DomainError, PermissionDenied
from rapport.directory.models import ApiToken, User
from rapport.directory.services import token_create


class Command(BaseCommand):
    help = ("API tokens: `token create USERNAME [--name NAME] [--inbound-mail]` prints a new token once; "
            "--inbound-mail makes a mail server's token (for an administrator's account), which can only deliver "
            "messages to /api/v1/inbound-email.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token for a user and print it.")
        create.add_argument("username")
        create.add_argument("--name", default="Command line", help="What the token is for, e.g. the script using it.")
        create.add_argument("--inbound-mail", action="store_true",
                            help="A mail server's token: it can only deliver messages, filed on every customer.")

    def handle(self, *args, action, username, name, inbound_mail, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("There is no user “%(username)s”.") % {"username": username})
        if not user.is_active:
            raise CommandError(_("%(username)s is deactivated; a token would not work.") % {"username": username})
        try:
            # Whoever runs the command line runs the server: the token is made as if by its user.
            purpose = ApiToken.Purpose.INBOUND_MAIL if inbound_mail else ApiToken.Purpose.API
            _token, raw = token_create(actor=user, user=user, name=name, purpose=purpose)
        except PermissionDenied as error:
            raise CommandError(_("Only an administrator's account may hold an inbound-mail token.")) from error
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(raw)
        self.stderr.write(_("Keep this token secret; it is not shown again."))
