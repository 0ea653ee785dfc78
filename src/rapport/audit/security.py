"""The security log: logins, failed logins, lock-outs, refused access."""

from datetime import timedelta

from django.utils import timezone

from .models import SecurityEvent, SecurityEventKind


def client_address(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record_security_event(*, kind: str, request=None, user=None, username: str = "", detail: str = ""):
    if user is not None and not user.is_authenticated:
        user = None
    return SecurityEvent.objects.create(
        kind=kind, user=user, username=(username or (user.get_username() if user else ""))[:254],
        address=client_address(request), detail=detail[:300],
    )


ACCOUNT_FRESH_START = (SecurityEventKind.LOGIN, SecurityEventKind.PASSWORD_CHANGED)


def account_failures_since(*, minutes: int, username: str) -> int:
    """Failed logins to one account in the last `minutes`, since it last logged in or changed its password."""
    since = timezone.now() - timedelta(minutes=minutes)
    fresh_start = (
        SecurityEvent.objects.filter(kind__in=ACCOUNT_FRESH_START, username__iexact=username, at__gte=since)
        .order_by("-at").values_list("at", flat=True).first()
    )
    window = {"at__gt": fresh_start} if fresh_start else {"at__gte": since}
    failures = SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED, username__iexact=username, **window)
    return failures.count()


def address_failures_since(*, minutes: int, address: str) -> int:
    """Failed logins from one address in the last `minutes`; a success in between resets nothing,
    so one valid account cannot be used to keep guessing others' passwords."""
    since = timezone.now() - timedelta(minutes=minutes)
    return SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED, address=address, at__gte=since).count()
