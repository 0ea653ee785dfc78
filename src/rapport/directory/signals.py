"""Security log entries for what Django's auth and our access module announce."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from rapport.access.signals import access_refused
from rapport.audit.models import SecurityEventKind
from rapport.audit.security import record_security_event
from rapport.core.remembered import forget_about_everyone

from . import services
from .models import User


@receiver(user_logged_in)
def remember_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        services.session_remember(user=user, session_key=request.session.session_key)
    record_security_event(kind=SecurityEventKind.LOGIN, request=request, user=user)


@receiver(user_logged_out)
def remember_logout(sender, request, user, **kwargs):
    if user is not None:
        record_security_event(kind=SecurityEventKind.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def remember_failed_login(sender, credentials, request=None, **kwargs):
    services.login_record_failure(request=request, username=credentials.get("username") or "")


@receiver(access_refused)
def remember_refused_access(sender, actor, permission, obj=None, **kwargs):
    detail = permission if obj is None else f"{permission} {obj._meta.label} #{obj.pk}"
    record_security_event(kind=SecurityEventKind.ACCESS_REFUSED, user=actor, detail=detail)


# A save that may change whom someone's scope reaches (the user's role, team, manager, activity) or how
# the user is named in everyone's lists of people.
SHARED_FIELDS = frozenset({"role", "role_id", "team", "team_id", "manager", "manager_id", "is_active", "is_superuser",
                           *User.NAME_FIELDS})


@receiver(post_save, sender="directory.User", dispatch_uid="user_saved")
def forget_scopes_after_save(sender, instance, update_fields=None, **kwargs):
    if update_fields is None or SHARED_FIELDS & set(update_fields):
        instance.stamp = forget_about_everyone()


@receiver(post_delete, sender="directory.User", dispatch_uid="user_deleted")
@receiver(post_delete, sender="directory.Team", dispatch_uid="team_deleted")
def forget_scopes_after_delete(sender, **kwargs):
    forget_about_everyone()
