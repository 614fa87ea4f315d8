"""Pages of the signing app: public verification (/xac-thuc/), the citizen's e-result download, and the staff
actions on a dossier's draft result (upload, download)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from motcua.core.errors import show_error
from motcua.directory.selectors import StaffScope
from motcua.dossiers.workflow import WorkflowError
from motcua.identity.http import AuthenticatedHttpRequest
from motcua.identity.models import User
from motcua.privacy.access import record_dossier_read
from motcua.privacy.models import AccessKind
from motcua.privacy.staff import readable_dossier, staff_view, visible_or_404
from motcua.signing import actions, config
from motcua.signing.demo import is_demo_name
from motcua.signing.models import ResultDocument
from motcua.signing.pdf import Verification
from motcua.signing.selectors import PROBLEM_LABELS, signed_result_of_owner

MAX_UPLOAD_BYTES = actions.MAX_DRAFT_BYTES


def _pdf(field: Any, filename: str) -> FileResponse:
    response = FileResponse(field.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


def _verdict_context(verdict: Verification) -> dict[str, Any]:
    return {"verdict": verdict, "problems": [str(PROBLEM_LABELS.get(p, p)) for p in verdict.problems
                                             if not p.startswith("error:")],
            "demo_signature": any(is_demo_name(s.signer_subject) or is_demo_name(s.issuer_subject)
                                  for s in verdict.signatures)}


def _demo_context() -> dict[str, Any]:
    """The demo trusts its own DEMO CA: the page says so, every time."""
    return {"demo_site": config.demo_trusted()}


def _uploaded(request: HttpRequest) -> tuple[bytes | None, str]:
    upload = request.FILES.get("file")
    if upload is None:
        return None, _("Choose the PDF file to check.")
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        return None, _("The file is larger than 20 MB.")
    return upload.read(), ""


def verify_page(request: HttpRequest) -> HttpResponse:
    """Anyone uploads a PDF and learns whether it carries a valid, whole-document signature we trust."""
    context: dict[str, Any] = _demo_context()
    status = 200
    if request.method == "POST":
        if is_ratelimited(request, group="signing:verify", key="ip", rate="30/m", increment=True):
            return render(request, "signing/verify.html", {"error": _("Too many checks from this connection. "
                                                                      "Please wait a minute.")}, status=429)
        content, error = _uploaded(request)
        if content is None:
            context["error"], status = error, 400
        else:
            context.update(_verdict_context(actions.verify(content)))
            context["sha256"] = hashlib.sha256(content).hexdigest()
            context["issued"] = ResultDocument.objects.filter(
                sha256=context["sha256"], state=ResultDocument.State.SIGNED).select_related(
                "dossier__procedure_version", "dossier__current_agency").first()
    return render(request, "signing/verify.html", context, status=status)


def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """The page a result's QR code opens: what was issued under this code (never the citizen's data), and the
    upload form to check a copy against it."""
    issued = get_object_or_404(ResultDocument.objects.select_related(
        "dossier__procedure_version", "dossier__current_agency"), verification_code=code,
        state=ResultDocument.State.SIGNED)
    context: dict[str, Any] = {**_demo_context(), "issued": issued, "code": code,
                               "demo_signature": is_demo_name(issued.certificate_subject)}
    status = 200
    if request.method == "POST":
        if is_ratelimited(request, group="signing:verify", key="ip", rate="30/m", increment=True):
            return render(request, "signing/verify.html", {"error": _("Too many checks from this connection. "
                                                                      "Please wait a minute.")}, status=429)
        content, error = _uploaded(request)
        if content is None:
            context["error"], status = error, 400
        else:
            context.update(_verdict_context(actions.verify(content)))
            context["sha256"] = hashlib.sha256(content).hexdigest()
            context["matches"] = context["sha256"] == issued.sha256
    return render(request, "signing/verify.html", context, status=status)


def demo_crl(request: HttpRequest) -> HttpResponse:
    """The demo CA's certificate revocation list (the URL printed in every demo certificate); 404 outside the
    demo."""
    from django.conf import settings

    from motcua.signing.demo import CRL_FILE

    if config.production():
        raise Http404
    try:
        data = (Path(settings.MOTCUA_DEMO_SIGNING_DIR) / CRL_FILE).read_bytes()
    except OSError:
        raise Http404 from None
    response = HttpResponse(data, content_type="application/pkix-crl")
    response["Cache-Control"] = "public, max-age=300"
    return response


@login_required(login_url="portal:login")
def my_result(request: AuthenticatedHttpRequest, code: str, result_id: int) -> FileResponse:
    """The signed e-result of one of my dossiers; anyone else's is a 404."""
    result = signed_result_of_owner(request.user, code, result_id)
    if result is None:
        raise Http404
    return _pdf(result.signed_file, f"{result.dossier.code}-ket-qua.pdf")


# --- staff -------------------------------------------------------------------------------------------

@require_POST
@staff_view
def upload_draft(request: HttpRequest, scope: StaffScope, code: str) -> HttpResponse:
    dossier = visible_or_404(scope, code)
    upload = request.FILES.get("draft")
    if upload is None:
        messages.error(request, _("Choose the draft result PDF."))
        return redirect("backoffice:dossier", code=dossier.code)
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        messages.error(request, _("The file is larger than 20 MB."))
        return redirect("backoffice:dossier", code=dossier.code)
    user: User = scope.user
    try:
        actions.upload_draft(dossier, actor=user, name=upload.name or "ket-qua.pdf", content=upload.read())
    except WorkflowError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("The draft result has been attached. It will be signed when the leader "
                                    "approves."))
    return redirect("backoffice:dossier", code=dossier.code)


@require_POST
@staff_view
def remove_draft(request: HttpRequest, scope: StaffScope, code: str, result_id: int) -> HttpResponse:
    """Take the draft result off the dossier (whoever acts on its step; always possible, signing or not)."""
    dossier = visible_or_404(scope, code)
    user: User = scope.user
    try:
        actions.remove_draft(dossier, actor=user, result_id=result_id)
    except WorkflowError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("The draft result has been removed. The dossier can be approved without it."))
    return redirect("backoffice:dossier", code=dossier.code)


@staff_view
def result_file(request: HttpRequest, scope: StaffScope, code: str, result_id: int) -> FileResponse:
    dossier, reason = readable_dossier(scope, code)
    result = get_object_or_404(ResultDocument, dossier=dossier, pk=result_id)
    record_dossier_read(actor=scope.user, dossier=dossier, kind=AccessKind.DOCUMENT_VIEW, reason=reason,
                        detail=f"result #{result.pk}")
    if result.state == ResultDocument.State.SIGNED and result.signed_file:
        return _pdf(result.signed_file, f"{dossier.code}-ket-qua.pdf")
    return _pdf(result.draft_file, f"{dossier.code}-du-thao-ket-qua.pdf")
