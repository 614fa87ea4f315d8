"""Online submission by a signed-in citizen: the procedure's e-form and its required documents on one page."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from motcua.catalog.models import Procedure
from motcua.dossiers.actions import Applicant, IntakeError, Upload, submit_dossier
from motcua.dossiers.eforms import build_fields, read_values
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.selectors import lookup_path
from motcua.identity.oidc import enabled_providers

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class SignInView(LoginView):
    """Sign-in page: VNeID / national portal buttons first, then user name and password (demo, staff)."""

    template_name = "portal/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["identity_providers"] = enabled_providers()
        return context


@login_required(login_url="portal:login")
def submit(request: HttpRequest, national_code: str) -> HttpResponse:
    procedure = get_object_or_404(Procedure.objects.published().select_related("current_version"),
                                  national_code=national_code)
    version = procedure.current_version
    if version is None:  # published() guarantees one; this keeps the type checker informed
        raise Http404
    agencies = list(procedure.competent_agencies.active().order_by("name"))
    user = request.user
    errors: dict[str, tuple[str, str]] = {}
    form_data: dict[str, object] = {}
    values = {"name": getattr(user, "full_name", ""), "id_number": getattr(user, "national_id", "") or "",
              "phone": getattr(user, "phone", ""), "email": getattr(user, "email", ""), "address": "",
              "agency": str(agencies[0].pk) if len(agencies) == 1 else ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        form_data = read_values(version.eform_schema, request.POST)
        agency = next((a for a in agencies if str(a.pk) == values["agency"]), None)
        uploads = []
        for document in version.required_documents:
            upload = request.FILES.get(f"doc__{document.get('code')}")
            if upload is None:
                continue
            if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
                errors[f"documents/{document.get('code')}"] = (
                    "Tệp lớn hơn 10 MB.", "The file is larger than 10 MB.")
                continue
            uploads.append(Upload(slot=str(document.get("code")), name=upload.name or "tep", content=upload.read()))
        if agency is None:
            errors["competent_agency"] = ("Vui lòng chọn nơi giải quyết.", "Please choose the agency.")
        if not errors and agency is not None:
            try:
                dossier = submit_dossier(
                    procedure=procedure, channel=Channel.ONLINE, competent_agency=agency, actor=user,  # type: ignore[arg-type]
                    applicant=Applicant(name=values["name"], id_number=values["id_number"], phone=values["phone"],
                                        email=values["email"], address=values["address"]),
                    form_data=form_data, uploads=uploads,
                    idempotency_key=f"online:{user.pk}:{request.POST.get('idempotency_key', '')[:60]}",
                )
            except IntakeError as exc:
                errors = exc.errors
            else:
                return redirect("portal:submitted", code=dossier.code)
    field_errors = {key.removeprefix("form_data/"): vi for key, (vi, _en) in errors.items()}
    context = {
        "procedure": procedure, "version": version, "agencies": agencies, "values": values,
        "fields": build_fields(version.eform_schema, form_data, field_errors),
        "errors": errors, "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
    }
    return render(request, "portal/submit.html", context, status=400 if errors else 200)


@login_required(login_url="portal:login")
def submitted(request: HttpRequest, code: str) -> HttpResponse:
    dossier = get_object_or_404(Dossier, code=code, applicant=request.user)
    return render(request, "portal/submitted.html", {"dossier": dossier, "lookup": lookup_path(dossier)})
