"""Signing in and out, the staff home page, searching, English as the second language, printing unavailable."""

import sys

from django.urls import reverse

from motcua.backoffice.tests.helpers import signed_in


def test_sign_in_lands_on_the_staff_home_and_sign_out_returns(client, clerk, demo_catalog):
    clerk.set_password("mat-khau-rat-dai-2026")
    clerk.save()
    page = client.get(reverse("backoffice:login")).content.decode()
    assert "Đăng nhập dành cho công chức" in page
    wrong = client.post(reverse("backoffice:login"), {"username": "tiepnhan.ttpvhcc", "password": "sai"})
    assert wrong.status_code == 200 and 'class="error-summary"' in wrong.content.decode()
    assert 'value="tiepnhan.ttpvhcc"' in wrong.content.decode()
    response = client.post(reverse("backoffice:login"), {"username": "tiepnhan.ttpvhcc",
                                                         "password": "mat-khau-rat-dai-2026"})
    assert response.status_code == 302 and response["Location"] == reverse("backoffice:home")
    home = client.get(reverse("backoffice:home")).content.decode()
    assert reverse("backoffice:intake_choose") in home and reverse("backoffice:awaiting_receipt") in home
    assert client.post(reverse("backoffice:logout"))["Location"] == reverse("backoffice:login")
    assert client.get(reverse("backoffice:home")).status_code == 302


def test_home_links_each_queue_the_officer_holds(as_specialist, demo_agencies):
    page = as_specialist.get(reverse("backoffice:home")).content.decode()
    assert reverse("backoffice:queue", args=[demo_agencies["land_office"].pk, "specialist"]) in page
    assert reverse("backoffice:intake_choose") not in page  # not a clerk
    assert reverse("backoffice:approvals") not in page  # not a leader


def test_search_finds_only_visible_dossiers(as_clerk, as_other_clerk, received):
    page = as_clerk.get(reverse("backoffice:home"), {"q": received.code[-11:]}).content.decode()
    assert reverse("backoffice:dossier", args=[received.code]) in page
    page = as_clerk.get(reverse("backoffice:home"), {"q": "0987654321"}).content.decode()
    assert reverse("backoffice:dossier", args=[received.code]) in page
    page = as_other_clerk.get(reverse("backoffice:home"), {"q": "0987654321"}).content.decode()
    assert received.code not in page


def test_the_pages_speak_english_when_asked(clerk, received):
    client = signed_in(clerk)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("backoffice:dossier", args=[received.code])).content.decode()
    assert "What you can do now" in page and "Print the receipt" in page
    response = client.post(reverse("backoffice:dossier_action", args=[received.code, "forward"]),
                           {"forward-expected_version": received.version - 1})
    page = response.content.decode()
    # The message in the page's language only (one language per message).
    assert "Someone else has just acted" in page and "vừa được người khác xử lý" not in page


def test_printing_says_so_when_the_pdf_forms_are_unavailable(monkeypatch, as_clerk, received):
    monkeypatch.setitem(sys.modules, "motcua.dossiers.forms_pdf", None)  # importing it fails
    response = as_clerk.get(reverse("backoffice:control_sheet_pdf", args=[received.code]))
    assert response.status_code == 503
    assert "Chưa in được biểu mẫu" in response.content.decode()
