"""Every write about people: lock-outs, deactivation, language, API tokens."""

import secrets
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.audit.models import SecurityEventKind
from rapport.audit.security import (
    account_failures_since,
    address_failures_since,
    client_address,
    record_security_event,
)
from rapport.core.errors import NotFound, PermissionDenied, Refused

from .models import ApiToken, User, UserSession


def login_account_name(identifier: str) -> str:
    """The username of the account a login form's "username or email" names, else what was typed.

    Failures typed as an email and as a username must count against the same account, and a
    successful login (recorded under the username) must reset both.
    """
    identifier = identifier.strip()
    username = (
        User.objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))
        .values_list("username", flat=True).first()
    )
    return username or identifier


def login_locked_out(*, request, username: str) -> bool:
    """Too many recent failures for this account or from this address."""
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    account = login_account_name(username)
    if account_failures_since(minutes=minutes, username=account) >= settings.LOGIN_FAILURES_PER_ACCOUNT:
        return True
    address = client_address(request)
    if not address:
        return False
    return address_failures_since(minutes=minutes, address=address) >= settings.LOGIN_FAILURES_PER_ADDRESS


def login_refuse_locked_out(*, request, username: str) -> None:
    record_security_event(kind=SecurityEventKind.LOCKED_OUT, request=request,
                          username=login_account_name(username))
    raise Refused(
        _("Too many failed attempts. Try again in %(minutes)d minutes or reset your password.")
        % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}
    )


def login_record_failure(*, request, username: str) -> None:
    account = login_account_name(username)
    user = User.objects.filter(username=account).first()
    record_security_event(kind=SecurityEventKind.LOGIN_FAILED, request=request, user=user, username=account)


def session_remember(*, user: User, session_key: str | None) -> None:
    """Note whose session this is, so deactivating them can end it; called whenever a key is issued."""
    if session_key:
        UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def user_deactivate(*, actor, user: User) -> User:
    """Deactivate a user and end every session they have open."""
    if not actor.has_perm("directory.change_user"):
        raise PermissionDenied()
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        sessions_end_for(user=user)
        record_security_event(kind=SecurityEventKind.USER_DEACTIVATED, user=user, detail=f"by {actor}")
    return user


def sessions_end_for(*, user: User) -> None:
    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in UserSession.objects.filter(user=user).values_list("session_key", flat=True):
        session_store(session_key=key).delete()  # also from the session cache, where there is one
    UserSession.objects.filter(user=user).delete()


def user_set_language(*, actor: User, language: str) -> User:
    if language not in {code for code, _label in settings.LANGUAGES} | {""}:
        raise Refused(_("Unknown language."), fields={"language": [_("Unknown language.")]})
    actor.language = language
    actor.save(update_fields=["language"])
    return actor


def token_create(*, actor: User, user: User, name: str,
                 purpose: ApiToken.Purpose = ApiToken.Purpose.API) -> tuple[ApiToken, str]:
    """Create an API token; the plain token is returned once and never stored. A mail server's token files
    messages on every customer's timeline, so only an administrator makes one."""
    if (actor != user or purpose != ApiToken.Purpose.API) and not actor.is_superuser:
        raise PermissionDenied()
    name = name.strip()
    if not name:
        raise Refused(_("Give the token a name."), fields={"name": [_("This field is required.")]})
    lookup, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], lookup=lookup, digest=ApiToken.digest_of(secret),
                                    purpose=purpose)
    record_security_event(kind=SecurityEventKind.TOKEN_CREATED, user=user, detail=token.name)
    return token, f"{ApiToken.PREFIX}{lookup}_{secret}"


def token_revoke(*, actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True).first()
    if token is None or (token.user_id != actor.pk and not actor.is_superuser):
        raise NotFound()
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_security_event(kind=SecurityEventKind.TOKEN_REVOKED, user=token.user, detail=token.name)
    return token


def token_find(raw: str, purpose: ApiToken.Purpose = ApiToken.Purpose.API) -> ApiToken | None:
    """The token presented as `raw`, if it is valid for `purpose` and its user active (with the user loaded)."""
    if not raw.startswith(ApiToken.PREFIX):
        return None
    lookup, _sep, secret = raw.removeprefix(ApiToken.PREFIX).partition("_")
    token = ApiToken.objects.select_related("user").filter(lookup=lookup, revoked_at__isnull=True,
                                                           purpose=purpose).first()
    if token is None or not secrets.compare_digest(token.digest, ApiToken.digest_of(secret)):
        return None
    if not token.user.is_active:
        return None
    return token


def token_use_is_due(token: ApiToken) -> bool:
    """Whether a use of `token` should be recorded: its last use is shown to the minute, so once a minute
    is enough, and a read need not write."""
    return token.last_used_at is None or token.last_used_at < timezone.now() - ApiToken.USE_RECORDED_EVERY


def token_record_use(*, token_id: int) -> None:
    """Record that a token was just used, unless a use within the last minute already was."""
    now = timezone.now()
    due = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - ApiToken.USE_RECORDED_EVERY)
    ApiToken.objects.filter(due, pk=token_id).update(last_used_at=now)


def record_viewed(*, user: User, record) -> None:
    """Remember that `user` opened `record`, for their home page — once a minute at most: a record
    opened again and again (a rep working through its page) costs one write, not one a view."""
    from django.contrib.contenttypes.models import ContentType

    from .models import RecentlyViewed

    content_type = ContentType.objects.get_for_model(record)
    if not cache.add(f"rapport:viewed:{user.pk}:{content_type.pk}:{record.pk}", True, RecentlyViewed.WRITTEN_EVERY):
        return
    RecentlyViewed.objects.bulk_create(
        [RecentlyViewed(user=user, content_type=content_type, object_id=record.pk, viewed_at=timezone.now())],
        update_conflicts=True, unique_fields=["user", "content_type", "object_id"], update_fields=["viewed_at"],
    )
