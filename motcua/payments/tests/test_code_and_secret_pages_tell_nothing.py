"""Every public page that takes a dossier code and its look-up secret answers a wrong secret for a real code
exactly as it answers an unknown code: same status, same headers (Vary included: reading the session only for a
real code added "Vary: Cookie"), same bytes. Checked as a visitor, with a session cookie, and signed in as
someone who does not own the dossier."""

import re

import pytest
from django.urls import reverse

from motcua.payments import actions, invoices
from motcua.payments.models import Payment

UNKNOWN = "000.00.01.H19-261130-9999"
WRONG = "AAAAAAAAAA"


def _everything(response, code):
    """Status, every header, the cookies set and the body, with the code the visitor typed taken out of the
    look-up form and the language switch's return address (echoed back, which tells nothing), and the
    per-request CSRF token blanked."""
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)
    body = body.replace(f'value="{code}"'.encode(), b'value="<code>"').replace(f"/{code}/".encode(), b"/<code>/")
    headers = sorted((name.lower(), value) for name, value in response.headers.items())
    cookies = sorted((name, morsel["max-age"], morsel["path"], morsel["samesite"], morsel["httponly"])
                     for name, morsel in response.cookies.items())
    return response.status_code, headers, cookies, body


def _pages(dossier, receipt_number):
    """(method, url for a code, data) for every public page taking a code and a secret."""
    return [
        ("get", lambda code: reverse("payments:dossier", args=[code]), {"s": WRONG}),
        ("post", lambda code: reverse("payments:dossier", args=[code]), {"s": WRONG, "invoice": "HD-1",
                                                                         "provider": "vnpay"}),
        ("get", lambda code: reverse("payments:receipt", args=[code, receipt_number]), {"s": WRONG}),
        ("get", lambda code: reverse("payments:receipt", args=[code, receipt_number]), {}),
        ("get", lambda code: reverse("dossiers:lookup_detail", args=[code]), {"s": WRONG}),
        ("get", lambda code: reverse("dossiers:lookup_detail", args=[code]), {}),
        ("get", lambda code: "/api/v1/dossiers/lookup", None),
    ]


@pytest.mark.parametrize("who", ["visitor", "session", "other_citizen"])
def test_real_code_with_a_wrong_secret_looks_like_an_unknown_code(client, paused_dossier, clerk, other_citizen,
                                                                  who):
    invoice = invoices.invoice_for_pause(paused_dossier)
    payment = actions.record_counter_payment(invoice, actor=clerk, method=Payment.Method.CASH, amount=25_000_000)
    if who == "session":
        session = client.session
        session["seen"] = True
        session.save()
    elif who == "other_citizen":
        client.force_login(other_citizen)
    for method, url, data in _pages(paused_dossier, payment.receipt.number):
        answers = []
        for code in (paused_dossier.code, UNKNOWN):
            payload = {"code": code, "secret": WRONG} if data is None else data
            answers.append(_everything(getattr(client, method)(url(code), payload), code))
        real, unknown = answers
        assert real[0] == 404, (method, url(paused_dossier.code))
        assert real == unknown, (method, url(paused_dossier.code))


def test_the_right_secret_still_opens_the_pages(client, paused_dossier, clerk):
    invoice = invoices.invoice_for_pause(paused_dossier)
    payment = actions.record_counter_payment(invoice, actor=clerk, method=Payment.Method.CASH, amount=25_000_000)
    secret = paused_dossier.lookup_secret
    assert client.get(reverse("payments:dossier", args=[paused_dossier.code]), {"s": secret}).status_code == 200
    assert client.get(reverse("payments:receipt", args=[paused_dossier.code, payment.receipt.number]),
                      {"s": secret}).status_code == 200
    assert client.get(reverse("dossiers:lookup_detail", args=[paused_dossier.code]),
                      {"s": secret}).status_code == 200
