"""Payment pages: the applicant's invoices and online payment, the gateways' return and notification URLs,
receipts, and the clerk's counter payment. Each view parses, authorises, calls one action and renders."""

from __future__ import annotations

import hmac
import json
import logging
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from motcua.directory.models import Role
from motcua.directory.selectors import has_role
from motcua.dossiers.lookup import throttled
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import is_citizens_dossier
from motcua.identity.http import AuthenticatedHttpRequest
from motcua.identity.throttling import client_ip
from motcua.payments import actions, callbacks, demo_gateway, invoices, paygov
from motcua.payments.models import Invoice, Payment, Provider, Receipt
from motcua.payments.providers import BadSignature, MalformedCallback, ProviderUnavailable, online_providers
from motcua.payments.receipts import render_receipt_pdf
from motcua.payments.selectors import invoices_of

_DUMMY = "X" * 10
logger = logging.getLogger(__name__)


def _dossier_for(request: HttpRequest, code: str) -> Dossier:
    """The dossier, if the request is its applicant's or carries its look-up secret; else 404 (the same answer
    for an unknown code and a wrong secret)."""
    if throttled(request):
        raise Http404
    # Who asks is read before the code is looked up, whatever the code: reading it (the session) only for a real
    # code put "Vary: Cookie" on that 404 alone, which told real codes from unknown ones.
    user = request.user if request.user.is_authenticated else None
    dossier = Dossier.objects.select_related("procedure_version", "receiving_agency").filter(
        code__iexact=code.strip()[:60]).first()
    secret = (request.GET.get("s") or request.POST.get("s") or "").strip().upper()
    expected = dossier.lookup_secret if dossier else _DUMMY
    owner = dossier is not None and is_citizens_dossier(user, dossier)
    if dossier is None or not (owner or (secret and hmac.compare_digest(expected.encode(), secret.encode()))):
        raise Http404
    return dossier


@require_http_methods(["GET", "POST"])
def dossier_payment(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier_for(request, code)
    error: invoices.PaymentError | None = None
    if request.method == "POST":
        invoice = get_object_or_404(Invoice, dossier=dossier, number=request.POST.get("invoice", ""))
        provider = request.POST.get("provider", "")
        return_name = "payments:paygov_return" if provider == Provider.PAYGOV else "payments:vnpay_return"
        try:
            _payment, url = actions.start_online_payment(
                invoice, provider=provider, return_url=request.build_absolute_uri(reverse(return_name)),
                client_ip=client_ip(request), locale="en" if get_language() == "en" else "vn",
            )
        except invoices.PaymentError as exc:
            error = exc
        else:
            return HttpResponseRedirect(url)
    return render(request, "payments/dossier.html", {
        "dossier": dossier, "invoices": invoices_of(dossier), "providers": online_providers(), "error": error,
        "secret": dossier.lookup_secret,
    }, status=400 if error else 200)


@require_GET
def receipt_pdf(request: HttpRequest, code: str, number: str) -> HttpResponse:
    dossier = _dossier_for(request, code)
    receipt = get_object_or_404(Receipt.objects.select_related("payment__invoice__dossier"), number=number,
                                payment__invoice__dossier=dossier)
    response = HttpResponse(render_receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{receipt.number}.pdf"'
    return response


@csrf_exempt
@require_GET
def vnpay_ipn(request: HttpRequest) -> JsonResponse:
    """VNPay's server-to-server notification: the source of truth. Answers {"RspCode", "Message"}."""
    answer = callbacks.process_callback(Provider.VNPAY, request.GET.dict(), remote_addr=client_ip(request),
                                        allowed_ips=settings.MOTCUA_VNPAY_IPN_ALLOWED_IPS)
    return JsonResponse({"RspCode": answer.code, "Message": answer.message})


PAYGOV_CALLBACK_MAX_BYTES = 64 * 1024


@csrf_exempt
@require_http_methods(["POST"])
def paygov_ipn(request: HttpRequest) -> JsonResponse:
    """The national payment platform's confirmation (server to server, JSON POST): the source of truth. Answers
    the platform's reply shape {MaLoi "00"|"99", MoTaLoi, MaDoiTac, MaThamChieu, ThoiGianGD, MaXacThuc}."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    body: Any = None
    if 0 < length <= PAYGOV_CALLBACK_MAX_BYTES:
        try:
            body = json.loads(request.body)
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: "[[[[…" nested too deep
            body = None
    if not isinstance(body, dict):  # too big, empty, not JSON or not an object: refused before anything else
        logger.warning("Payment platform callback refused: unreadable body (%s bytes)", length)
        return JsonResponse(paygov.reply("99", None, {}), status=400)
    answer = callbacks.process_callback(Provider.PAYGOV, body, remote_addr=client_ip(request),
                                        allowed_ips=settings.MOTCUA_PAYGOV_CALLBACK_ALLOWED_IPS)
    return JsonResponse(paygov.reply(answer.code, answer.payment, body))


def _return_page(request: HttpRequest, provider: str) -> HttpResponse:
    """The payer's browser coming back. Display only: the state changes with the IPN (or a query), never here;
    a still-pending payment is looked up at the gateway in the background."""
    from motcua.payments.providers import provider_for

    params = request.GET.dict()
    payment: Payment | None = None
    verified = False
    try:
        result = provider_for(provider).parse_callback(params)
        verified = True
        payment = Payment.objects.select_related("invoice__dossier").filter(
            provider=provider, txn_ref=result.txn_ref).first()
    except (BadSignature, MalformedCallback, ProviderUnavailable):
        pass
    if payment is not None and payment.state == Payment.State.PENDING:
        from motcua.payments.tasks import confirm_payment_task

        try:
            confirm_payment_task.enqueue(payment.pk)
        except Exception:  # the page shows the state it has; the reconciliation catches up
            logger.exception("Could not queue the confirmation of payment %s", payment.pk)
        payment.refresh_from_db()
    return render(request, "payments/return.html", {"payment": payment, "verified": verified},
                  status=200 if verified else 400)


@require_GET
def vnpay_return(request: HttpRequest) -> HttpResponse:
    return _return_page(request, Provider.VNPAY)


@require_http_methods(["GET", "POST"])
def vnpay_demo(request: HttpRequest) -> HttpResponse:
    """The DEMO stand-in for VNPay's payment page (MOTCUA_DEMO_PAYMENTS only; docs/payments.md). GET shows the
    order of a signed payment URL; POST pays or cancels it: our IPN handler is called with the signed result (the
    same function the IPN view calls), then the browser goes to vnp_ReturnUrl with it."""
    if not settings.MOTCUA_DEMO_PAYMENTS:
        raise Http404
    now = timezone.now()
    tmn_code, secret = settings.MOTCUA_VNPAY_TMN_CODE, settings.MOTCUA_VNPAY_HASH_SECRET
    try:
        order = demo_gateway.read_order(request.GET.dict(), tmn_code=tmn_code, secret=secret, now=now)
    except demo_gateway.OrderRefused as exc:
        return render(request, "payments/vnpay_demo.html", {"error": exc}, status=400)
    if request.method == "POST":
        outcome = request.POST.get("outcome")
        if outcome not in ("pay", "cancel"):
            return render(request, "payments/vnpay_demo.html", {"order": order}, status=400)
        result = demo_gateway.result_params(order, paid=outcome == "pay", secret=secret, now=now)
        # Server to server, as VNPay's IPN: a direct call of the IPN view's handler (runserver would otherwise
        # have to serve a request to itself while this one waits), from the loopback address.
        answer = callbacks.process_callback(Provider.VNPAY, result, remote_addr="127.0.0.1",
                                            allowed_ips=settings.MOTCUA_VNPAY_IPN_ALLOWED_IPS)
        logger.info("Demo VNPay: %s %s, IPN answered %s", outcome, order.txn_ref, answer.code)
        return HttpResponseRedirect(demo_gateway.return_location(order, result))
    return render(request, "payments/vnpay_demo.html", {"order": order})


@require_GET
def paygov_return(request: HttpRequest) -> HttpResponse:
    return _return_page(request, Provider.PAYGOV)


class CounterPaymentForm(forms.Form):
    method = forms.ChoiceField(choices=[(Payment.Method.CASH, Payment.Method.CASH.label),
                                        (Payment.Method.CARD, Payment.Method.CARD.label)])
    amount = forms.IntegerField(min_value=0)
    reference = forms.CharField(max_length=100, required=False)
    key = forms.CharField(max_length=100, widget=forms.HiddenInput)


@login_required
@require_http_methods(["GET", "POST"])
def counter_payment(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    """A clerk of the receiving agency records cash or a card payment of an invoice."""
    invoice = get_object_or_404(Invoice.objects.select_related("dossier__receiving_agency"), number=number)
    if not has_role(request.user, invoice.dossier.receiving_agency, Role.CLERK):
        raise Http404
    error: invoices.PaymentError | None = None
    initial: dict[str, Any] = {"amount": invoice.outstanding, "key": uuid.uuid4().hex}
    form = CounterPaymentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            payment = actions.record_counter_payment(
                invoice, actor=request.user,
                method=form.cleaned_data["method"], amount=form.cleaned_data["amount"],
                reference=form.cleaned_data["reference"], idempotency_key=f"counter:{form.cleaned_data['key']}",
            )
        except invoices.PaymentError as exc:
            error = exc
        else:
            receipt = payment.receipt
            return redirect(reverse("payments:receipt", args=[invoice.dossier.code, receipt.number])
                            + f"?s={invoice.dossier.lookup_secret}")
    return render(request, "payments/counter.html", {"invoice": invoice, "form": form, "error": error},
                  status=400 if error or (request.method == "POST" and not form.is_valid()) else 200)
