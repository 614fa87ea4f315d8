"""The tax authority's and treasury's pushes (tax notices, payment confirmations), and the tax office staff's page
for the manual path. Each view parses, authorises, calls one action and renders."""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from motcua.adapters import tax_authority as tax
from motcua.core.errors import user_message
from motcua.directory.selectors import StaffScope
from motcua.dossiers import selectors as dossier_selectors
from motcua.privacy.staff import staff_view
from motcua.taxexchange import actions
from motcua.taxexchange.models import Source, TaxNotice, TaxTransfer

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 512 * 1024


def _envelope(error_code: int, message: str, status: int = 200) -> JsonResponse:
    return JsonResponse(tax.envelope(error_code=error_code, message=message), status=status,
                        json_dumps_params={"ensure_ascii": False})


def _authorised(request: HttpRequest) -> bool:
    expected = str(settings.MOTCUA_TAX_AUTHORITY_INBOUND_TOKEN or "")
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer" or not token.strip():
        return False
    return hmac.compare_digest(token.strip().encode(), expected.encode())


def _read(request: HttpRequest) -> tuple[Any, JsonResponse | None]:
    if not _authorised(request):
        response = _envelope(-1, "Không có quyền gọi dịch vụ này (mã xác thực không đúng).", 401)
        response["WWW-Authenticate"] = 'Bearer realm="motcua-tax-authority"'
        return None, response
    length = request.headers.get("Content-Length", "")
    if not length.isdigit() or int(length) > MAX_BODY_BYTES:
        return None, _envelope(-1, "Nội dung gửi quá lớn hoặc thiếu độ dài.", 413)
    try:
        return json.loads(request.body), None
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None, _envelope(-1, "Nội dung không phải JSON hợp lệ.")


@csrf_exempt
@require_http_methods(["POST"])
def notice_push(request: HttpRequest) -> JsonResponse:
    """The tax authority pushes a notice: {"MaHoSo", "FileThongBaoThue": base64 XML}. Answers the envelope;
    a repeat of a notice already recorded is accepted again (error_code 0) and changes nothing."""
    body, refusal = _read(request)
    if refusal is not None:
        return refusal
    try:
        notice = tax.parse_notice_push(body if isinstance(body, dict) else b"[]")
    except tax.TaxMessageError as exc:
        return _envelope(-1, f"Thông báo thuế không hợp lệ: {exc}")
    outcome = actions.record_notice(notice, source=Source.PUSH, document=request.body)
    return _envelope(0 if outcome.accepted else -1, outcome.message)


@csrf_exempt
@require_http_methods(["POST"])
def receipt_push(request: HttpRequest) -> JsonResponse:
    """The treasury / tax authority confirms a payment (the evidenced "chứng từ thuế đất" object); every field is
    required ("<field> empty"). A duplicate is accepted and pays nothing."""
    body, refusal = _read(request)
    if refusal is not None:
        return refusal
    try:
        receipt = tax.parse_receipt(body if isinstance(body, dict) else b"[]")
    except tax.TaxMessageError as exc:
        return _envelope(-1, str(exc))
    outcome = actions.record_confirmation(receipt, source=Source.PUSH)
    return _envelope(0 if outcome.accepted else -1, outcome.message)


# --- the manual path -----------------------------------------------------------------------------------------------

class ManualNoticeForm(forms.Form):
    number = forms.CharField(label=_("Notice number"), max_length=60)
    personal_income_tax = forms.IntegerField(label=_("Personal income tax (đồng)"), min_value=0, required=False)
    registration_fee = forms.IntegerField(label=_("Registration fee (đồng)"), min_value=0, required=False)
    other_name = forms.CharField(label=_("Other obligation"), max_length=200, required=False)
    other_amount = forms.IntegerField(label=_("Its amount (đồng)"), min_value=0, required=False)
    deadline = forms.DateField(label=_("Pay by"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    payment_reference = forms.CharField(label=_("Payment reference"), max_length=60, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("other_amount") and not data.get("other_name"):
            self.add_error("other_name", _("Name the other obligation."))
        if not any(data.get(name) for name in ("personal_income_tax", "registration_fee", "other_amount")):
            raise forms.ValidationError(_("Enter at least one amount."))
        return data

    def lines(self) -> list[tuple[str, str, int]]:
        data = self.cleaned_data
        lines = [("1003", tax.OBLIGATIONS["1003"], data.get("personal_income_tax") or 0),
                 ("2801", tax.OBLIGATIONS["2801"], data.get("registration_fee") or 0)]
        if data.get("other_amount"):
            lines.append(("", str(data["other_name"]), int(data["other_amount"])))
        return [line for line in lines if line[2]]


@require_http_methods(["GET", "POST"])
@staff_view
def manual_notice(request: HttpRequest, scope: StaffScope, code: str) -> HttpResponse:
    dossier = dossier_selectors.visible_dossier(scope, code)
    if dossier is None:
        raise Http404
    form = ManualNoticeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            actions.enter_notice_manually(
                dossier, actor=scope.user, number=form.cleaned_data["number"], lines=form.lines(),
                deadline=form.cleaned_data.get("deadline"),
                payment_reference=form.cleaned_data.get("payment_reference") or "")
        except actions.ExchangeError as exc:
            error = user_message(exc)
        else:
            messages.success(request, _("The tax notice was recorded; the citizen is told the amounts."))
            return redirect("backoffice:dossier", code=dossier.code)
    transfer = TaxTransfer.objects.filter(dossier=dossier).first()
    return render(request, "taxexchange/manual_notice.html", {
        "dossier": dossier, "form": form, "error": error, "transfer": transfer,
        "notices": TaxNotice.objects.filter(dossier=dossier).order_by("received_at", "pk"),
    }, status=400 if request.method == "POST" else 200)
