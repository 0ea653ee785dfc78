from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rapport.core.errors import DomainError
from rapport.directory.models import User
from rapport.directory.services import token_create


class Command(BaseCommand):
    help = "Personal API tokens: `token create USERNAME [--name NAME]` prints a new token once."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token for a user and print it.")
        create.add_argument("username")
        create.add_argument("--name", default="Command line", help="What the token is for, e.g. the script using it.")

    def handle(self, *args, action, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("There is no user “%(username)s”.") % {"username": username})
        if not user.is_active:
            raise CommandError(_("%(username)s is deactivated; a token would not work.") % {"username": username})
        try:
            # Whoever runs the command line runs the server: the token is made as if by its user.
            _token, raw = token_create(actor=user, user=user, name=name)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(raw)
        self.stderr.write(_("Keep this token secret; it is not shown again."))
