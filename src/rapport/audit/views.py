from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.core.errors import NotFound
from rapport.core.http import domain_errors_as_http

from .recycle_bin import recyclables

PER_KIND = 100


@login_required
def recycle_bin(request):
    groups = [
        (name, recyclable, list(recyclable.deleted_for(request.user).order_by("-deleted_at")[:PER_KIND]))
        for name, recyclable in recyclables.items()
    ]
    return render(request, "audit/recycle_bin.html", {"groups": groups, "nav": "recycle"})


@login_required
@require_POST
@domain_errors_as_http
def restore(request, kind: str, record_id: int):
    if kind not in recyclables:
        raise NotFound()
    recyclable = recyclables.get(kind)
    record = recyclable.deleted_for(request.user).filter(pk=record_id).first()
    if record is None:
        raise NotFound()
    recyclable.restore(request.user, record)
    messages.success(request, _("“%(record)s” is restored.") % {"record": record})
    return redirect(recyclable.url_of(record))
