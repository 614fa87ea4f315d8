"""Staff see and act only within their agencies (and on dossiers handed to them). Another agency's dossier is
behind a reason page (403, nothing of the dossier shown; motcua/privacy/tests/test_staff_reads_logged.py) and
can never be acted on (404)."""

import sys
import types

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.backoffice.tests.helpers import land_intake_post, signed_in
from motcua.dossiers import actions
from motcua.dossiers.models import Notice, Status


def test_a_clerk_of_another_agency_is_asked_for_a_reason_and_cannot_act(as_other_clerk, received):
    receipt = received.notices.get(kind=Notice.Kind.RECEIPT)
    for url in (reverse("backoffice:dossier", args=[received.code]),
                reverse("backoffice:notice_pdf", args=[received.code, receipt.pk]),
                reverse("backoffice:control_sheet_pdf", args=[received.code])):
        response = as_other_clerk.get(url)
        assert response.status_code == 403 and received.applicant_name not in response.content.decode()
    response = as_other_clerk.post(reverse("backoffice:dossier_action", args=[received.code, "forward"]),
                                   {"forward-expected_version": received.version})
    assert response.status_code == 404
    received.refresh_from_db()
    assert received.status == Status.RECEIVED and received.version == 1


def test_a_coordinating_agency_sees_what_was_handed_to_it(received, clerk, specialist, tax_specialist):
    as_tax = signed_in(tax_specialist)
    url = reverse("backoffice:dossier", args=[received.code])
    assert as_tax.get(url).status_code == 403  # not handed to the tax office yet: the reason page
    dossier = actions.forward_dossier(received, actor=clerk)
    dossier = actions.forward_dossier(dossier, actor=specialist)
    assert dossier.current_agency.function == "tax"
    assert as_tax.get(url).status_code == 200
    actions.forward_dossier(dossier, actor=tax_specialist)  # on to the treasury: still in the tax office's history
    page = as_tax.get(url).content.decode()
    assert "Hiện bạn không có thao tác nào trên hồ sơ này." in page


def test_people_without_a_working_role_are_refused(client, citizen, agency_admin, received):
    url = reverse("backoffice:dossier", args=[received.code])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("backoffice:login"))
    assert signed_in(citizen).get(url).status_code == 403
    assert signed_in(citizen).get(reverse("backoffice:home")).status_code == 403
    # An agency administrator administers; acting on dossiers needs a working role.
    assert signed_in(agency_admin).get(url).status_code == 403


def test_files_download_only_through_the_dossier(as_clerk, as_other_clerk, demo_agencies):
    post = land_intake_post(demo_agencies, paper__giay_chung_nhan=None)
    post["doc__giay_chung_nhan"] = SimpleUploadedFile("gcn.pdf", b"%PDF-1.4 scan", "application/pdf")
    location = as_clerk.post(reverse("backoffice:intake", args=["1.013831"]), post)["Location"]
    page = as_clerk.get(location).content.decode()
    from motcua.dossiers.models import Dossier

    dossier = Dossier.objects.get()
    document = dossier.documents.exclude(file="").get()
    url = reverse("backoffice:document", args=[dossier.code, document.pk])
    assert url in page
    response = as_clerk.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 scan"
    assert "attachment" in response["Content-Disposition"]
    assert as_other_clerk.get(url).status_code == 403  # the reason page, not the file


@pytest.fixture
def fake_pdf_forms(monkeypatch):
    """Stands in for motcua.dossiers.forms_pdf (written elsewhere): the content of the PDF is not tested here."""
    module = types.SimpleNamespace(
        render_notice_pdf=lambda notice: b"%PDF notice " + notice.kind.encode(),
        render_control_sheet_pdf=lambda dossier: b"%PDF sheet " + dossier.code.encode(),
    )
    monkeypatch.setitem(sys.modules, "motcua.dossiers.forms_pdf", module)


def test_pdf_views_hand_over_what_the_renderers_make(fake_pdf_forms, as_clerk, received):
    receipt = received.notices.get(kind=Notice.Kind.RECEIPT)
    response = as_clerk.get(reverse("backoffice:notice_pdf", args=[received.code, receipt.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF notice receipt"
    response = as_clerk.get(reverse("backoffice:control_sheet_pdf", args=[received.code]))
    assert response.content == b"%PDF sheet " + received.code.encode()


def test_a_notice_of_another_dossier_is_not_found(fake_pdf_forms, as_clerk, received, demo_catalog, demo_agencies,
                                                 clerk):
    from motcua.backoffice.tests.helpers import local
    from motcua.dossiers.tests.helpers import land_dossier

    other = land_dossier(demo_catalog, demo_agencies, clerk, local(2026, 12, 2, 9))
    notice = other.notices.get()
    assert as_clerk.get(reverse("backoffice:notice_pdf", args=[received.code, notice.pk])).status_code == 404
