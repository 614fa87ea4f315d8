"""Every read of a citizen's dossier or documents by staff is logged (who, when, which dossier, why), repeated
reads coalesced; a dossier of another agency is shown only after a typed reason, itself logged."""

import datetime as dt
import sys
import types

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.actions import Applicant, Upload, submit_dossier
from motcua.dossiers.models import Channel, Notice
from motcua.dossiers.tests.helpers import LAND_FORM, LAND_PAPERS
from motcua.privacy.access import record_access
from motcua.privacy.models import AccessKind, DataAccess, Purpose


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def dossier(demo_catalog, demo_agencies, citizen, clerk):
    """Citizen A's land transfer, received at the provincial service centre's counter, with a scanned paper."""
    citizen.national_id = "075090001234"
    citizen.save()
    return submit_dossier(
        procedure=demo_catalog["1.013831"], channel=Channel.COUNTER, competent_agency=demo_agencies["land_office"],
        receiving_agency=demo_agencies["service_center"], actor=clerk, form_data=LAND_FORM,
        paper_documents=LAND_PAPERS[1:], applicant=Applicant(name="Nguyễn Văn A", id_number="075090001234"),
        uploads=[Upload(LAND_PAPERS[0], "ban-quet.pdf", b"%PDF-1.4 scan", digitised=True)])


@pytest.fixture
def fake_pdf_forms(monkeypatch):
    module = types.SimpleNamespace(render_notice_pdf=lambda notice: b"%PDF notice",
                                   render_control_sheet_pdf=lambda dossier: b"%PDF sheet")
    monkeypatch.setitem(sys.modules, "motcua.dossiers.forms_pdf", module)


def _body(response):
    return b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content


def test_the_dossier_page_documents_and_forms_read_by_staff_are_logged(dossier, clerk, specialist, citizen,
                                                                         demo_agencies, fake_pdf_forms):
    document = dossier.documents.exclude(file="").get()
    receipt = dossier.notices.get(kind=Notice.Kind.RECEIPT)
    as_specialist = _signed_in(specialist)
    assert as_specialist.get(reverse("backoffice:dossier", args=[dossier.code])).status_code == 200
    download = as_specialist.get(reverse("backoffice:document", args=[dossier.code, document.pk]))
    assert download.status_code == 200 and _body(download) == b"%PDF-1.4 scan"
    assert as_specialist.get(reverse("backoffice:notice_pdf", args=[dossier.code, receipt.pk])).status_code == 200
    assert as_specialist.get(reverse("backoffice:control_sheet_pdf", args=[dossier.code])).status_code == 200
    rows = list(DataAccess.objects.order_by("pk"))
    assert [(r.kind, r.actor, r.dossier, r.subject, r.subject_national_id) for r in rows] == [
        ("dossier_view", specialist, dossier, citizen, "075090001234"),
        ("document_view", specialist, dossier, citizen, "075090001234"),
        ("document_view", specialist, dossier, citizen, "075090001234"),
        ("document_view", specialist, dossier, citizen, "075090001234"),
    ]
    assert all(r.purpose == Purpose.PROCESSING and not r.out_of_scope for r in rows)
    # What the reader acted as: the specialist of the land office that decides the dossier.
    assert {(r.actor_role, r.actor_agency) for r in rows} == {("specialist", demo_agencies["land_office"])}
    assert rows[1].detail == f"#{document.pk} ban-quet.pdf" and rows[3].detail == "control_sheet"


def test_repeated_reads_within_the_window_are_one_line_and_later_ones_another(dossier, clerk, settings):
    as_clerk = _signed_in(clerk)
    url = reverse("backoffice:dossier", args=[dossier.code])
    for _ in range(3):
        assert as_clerk.get(url).status_code == 200
    assert DataAccess.objects.count() == 1
    DataAccess.objects.update(at=timezone.now() - dt.timedelta(seconds=301))
    assert as_clerk.get(url).status_code == 200
    assert DataAccess.objects.count() == 2
    settings.MOTCUA_PRIVACY_ACCESS_COALESCE_SECONDS = 0
    as_clerk.get(url)
    assert DataAccess.objects.count() == 3


def test_coalescing_keeps_different_readers_and_things_apart(dossier, clerk, specialist):
    for actor in (clerk, specialist, clerk):
        record_access(actor=actor, kind=AccessKind.DOSSIER_VIEW, purpose="processing", dossier=dossier)
    record_access(actor=clerk, kind=AccessKind.DOCUMENT_VIEW, purpose="processing", dossier=dossier, detail="#1")
    record_access(actor=clerk, kind=AccessKind.DOCUMENT_VIEW, purpose="processing", dossier=dossier, detail="#2")
    record_access(actor=None, kind=AccessKind.DOSSIER_VIEW, purpose="processing", dossier=dossier)
    record_access(actor=None, kind=AccessKind.DOSSIER_VIEW, purpose="processing", dossier=dossier)
    assert DataAccess.objects.count() == 6  # system reads (no reader) are never coalesced


def test_another_agencys_dossier_needs_a_typed_reason_first(dossier, other_clerk, fake_pdf_forms):
    as_other = _signed_in(other_clerk)
    page_url = reverse("backoffice:dossier", args=[dossier.code])
    document = dossier.documents.exclude(file="").get()
    file_url = reverse("backoffice:document", args=[dossier.code, document.pk])
    for url in (page_url, file_url, reverse("backoffice:control_sheet_pdf", args=[dossier.code])):
        response = as_other.get(url)
        body = _body(response).decode(errors="replace")
        assert response.status_code == 403
        assert "Nguyễn Văn A" not in body and "%PDF" not in body  # nothing of the dossier, only its code
        assert "Lý do" in body and reverse("privacy:reason", args=[dossier.code]) in body
    assert not DataAccess.objects.exists()

    reason_url = reverse("privacy:reason", args=[dossier.code])
    short = as_other.post(reason_url, {"reason": "xem", "next": file_url})
    assert short.status_code == 400 and "ít nhất 10 ký tự" in short.content.decode()
    assert "xem" in short.content.decode()  # what was typed is kept
    assert not DataAccess.objects.exists()

    reason = "Phối hợp giải quyết theo công văn 123/UBND"
    response = as_other.post(reason_url, {"reason": reason, "next": file_url})
    assert response.status_code == 302 and response["Location"] == file_url
    download = as_other.get(file_url)
    assert download.status_code == 200 and _body(download) == b"%PDF-1.4 scan"
    page = as_other.get(page_url)
    assert page.status_code == 200 and reason in page.content.decode()
    assert 'id="action-' not in page.content.decode()  # reading, not acting
    rows = list(DataAccess.objects.order_by("pk"))
    assert [r.kind for r in rows] == ["out_of_scope", "document_view", "dossier_view"]
    assert all(r.out_of_scope and r.purpose == reason and r.actor == other_clerk for r in rows)

    # The reason lasts MOTCUA_PRIVACY_OUT_OF_SCOPE_MINUTES (30): afterwards a new one is asked for.
    DataAccess.objects.update(at=timezone.now() - dt.timedelta(minutes=31))
    assert as_other.get(page_url).status_code == 403


def test_the_reason_page_sends_its_own_staff_to_the_dossier_and_refuses_others(dossier, clerk, citizen):
    url = reverse("privacy:reason", args=[dossier.code])
    response = _signed_in(clerk).get(url)
    assert response.status_code == 302 and response["Location"] == reverse("backoffice:dossier", args=[dossier.code])
    assert _signed_in(citizen).post(url, {"reason": "Tôi muốn xem hồ sơ này"}).status_code == 403
    assert Client().get(url).status_code == 302
    assert _signed_in(clerk).get(reverse("privacy:reason", args=["KHONG-CO"])).status_code == 404
    assert not DataAccess.objects.exists()


def test_the_next_address_stays_on_the_dossier(dossier, other_clerk):
    response = _signed_in(other_clerk).post(reverse("privacy:reason", args=[dossier.code]),
                                            {"reason": "Kiểm tra theo yêu cầu thanh tra", "next": "https://evil.example/"})
    assert response["Location"] == reverse("backoffice:dossier", args=[dossier.code])
