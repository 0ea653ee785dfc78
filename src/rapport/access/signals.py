from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from rapport.core.remembered import forget_about_everyone

# Sent when access is refused, so the security log can record it without access importing audit.
access_refused = Signal()


@receiver([post_save, post_delete], sender="access.Grant", dispatch_uid="grant_changed")
@receiver([post_save, post_delete], sender="access.Role", dispatch_uid="role_changed")
def forget_scopes(sender, **kwargs):
    forget_about_everyone()
