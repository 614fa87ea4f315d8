"""The "Kết nối liên thông" page: health of each outside system, backlog, and dead items (province admin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.directory.selectors import is_province_admin
from motcua.integrations.actions import retry_dead_item, skip_dead_item
from motcua.integrations.queues import QueueError
from motcua.integrations.selectors import connections_overview, portal_reconciliation_overview


def _province_admin(request: HttpRequest) -> None:
    if not is_province_admin(request.user):
        raise PermissionDenied


@login_required(login_url="backoffice:login")
def connections(request: HttpRequest) -> HttpResponse:
    _province_admin(request)
    return render(request, "integrations/connections.html", {"systems": connections_overview(),
                                                             **portal_reconciliation_overview()})


@require_POST
@login_required(login_url="backoffice:login")
def retry_item(request: HttpRequest, system: str, queue: str, item_id: str) -> HttpResponse:
    _province_admin(request)
    try:
        retry_dead_item(actor=request.user, system=system, queue=queue, item_id=item_id)
    except QueueError:
        raise Http404 from None
    messages.success(request, _("The item is queued to be sent again."))
    return redirect(reverse("integrations:connections"))


@require_POST
@login_required(login_url="backoffice:login")
def skip_item(request: HttpRequest, system: str, queue: str, item_id: str) -> HttpResponse:
    _province_admin(request)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("Give the reason for skipping the item."))
        return redirect(reverse("integrations:connections"))
    try:
        skip_dead_item(actor=request.user, system=system, queue=queue, item_id=item_id, reason=reason[:1000])
    except QueueError:
        raise Http404 from None
    messages.success(request, _("The item is skipped; it will not be sent."))
    return redirect(reverse("integrations:connections"))
