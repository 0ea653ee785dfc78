"""`Idempotency-Key` for API writes: a retried POST replays the first outcome instead of acting twice."""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Header
from ninja.renderers import JSONRenderer
from pydantic import BaseModel

from .errors import DomainError
from .models import IdempotencyKey

REPLAY_HEADER = "Idempotent-Replayed"
KEPT_FOR = timedelta(hours=24)  # a retry comes within minutes; after a day the key may be used afresh

IdempotencyKeyHeader = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=255,
    description="Any unique string, e.g. a UUID. Sending the same request again with the same key within 24 "
                "hours returns the first response (marked `Idempotent-Replayed: true`) instead of acting twice.",
)]


class IdempotencyKeyReused(DomainError):
    """The key was already used for a different request (HTTP 422)."""

    default_message = gettext_lazy("This Idempotency-Key was already used for a different request. Use a new key.")


def idempotent(request: HttpRequest, key: str | None, *, status: int, produce: Callable[[], BaseModel]) -> HttpResponse:
    """Run `produce` once per (user, key): a retry with the same key and request gets the stored response.

    Keys are kept for KEPT_FOR; the user's older ones are dropped whenever they send a keyed request.

    Only successes are stored: a request refused by validation may be corrected and sent again with
    the same key. The key is claimed in the same transaction as the write, so two concurrent
    requests with one key create one record; the second waits, then replays the first.
    """
    if key is None:
        return _render(status, produce())
    user, fingerprint = request.auth, fingerprint_of(request)
    with transaction.atomic():
        IdempotencyKey.objects.filter(user=user, created_at__lt=timezone.now() - KEPT_FOR).delete()
        stored = IdempotencyKey.objects.filter(user=user, key=key).first()
        if stored is None:
            try:
                with transaction.atomic():
                    stored = IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint)
            except IntegrityError:
                stored = IdempotencyKey.objects.get(user=user, key=key)
            else:
                response = _render(status, produce())
                stored.response_status, stored.response_body = status, json.loads(response.content)
                stored.save(update_fields=["response_status", "response_body"])
                return response
    if stored.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    response = _render(stored.response_status, stored.response_body)
    response[REPLAY_HEADER] = "true"
    return response


def fingerprint_of(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _render(status: int, body) -> HttpResponse:
    """The same JSON ninja's renderer writes, so a replay is indistinguishable from the original."""
    renderer = JSONRenderer()
    if isinstance(body, BaseModel):
        body = body.model_dump()
    return HttpResponse(renderer.render(None, body, response_status=status), status=status,
                        content_type=f"{renderer.media_type}; charset={renderer.charset}")
