"""The security log: logins, failed logins, lock-outs, refused access."""

from datetime import timedelta

from django.utils import timezone

from .models import SecurityEvent, SecurityEventKind


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


def record_security_event(*, kind: str, request=None, user=None, username: str = "", detail: str = ""):
    if user is not None and not user.is_authenticated:
        user = None
    return SecurityEvent.objects.create(
        kind=kind, user=user, username=(username or (user.get_username() if user else ""))[:254],
        address=client_address(request), detail=detail[:300],
    )


def failures_since(*, minutes: int, username: str | None = None, address: str | None = None) -> int:
    """Failed logins in the last `minutes`, for one username or one address, since its last success."""
    since = timezone.now() - timedelta(minutes=minutes)
    failures = SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED, at__gte=since)
    successes = SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN, at__gte=since)
    if username is not None:
        failures = failures.filter(username__iexact=username)
        successes = successes.filter(username__iexact=username)
    if address is not None:
        failures = failures.filter(address=address)
        successes = successes.filter(address=address)
    last_success = successes.order_by("-at").values_list("at", flat=True).first()
    if last_success:
        failures = failures.filter(at__gt=last_success)
    return failures.count()
