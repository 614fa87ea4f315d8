"""Counter intake: a clerk receives a paper dossier; a retry makes one dossier; mistakes come back with what
was typed."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.backoffice.tests.helpers import land_intake_post
from motcua.dossiers.models import Channel, Dossier, Notice, Status

URL = reverse("backoffice:intake", args=["1.013831"])


def test_the_form_lists_the_documents_and_carries_a_fresh_key(as_clerk):
    first = as_clerk.get(URL).content.decode()
    second = as_clerk.get(URL).content.decode()
    keys = [re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page).group(1) for page in (first, second)]
    assert keys[0] != keys[1]
    assert 'name="paper__giay_chung_nhan"' in first and 'name="doc__giay_chung_nhan"' in first
    assert first.count("Bắt buộc") == 5  # the five mandatory documents are marked
    assert 'name="ben_chuyen_nhuong__ho_ten"' in first  # the e-form


def test_counter_intake_and_a_retry_make_one_dossier(as_clerk, demo_agencies):
    first = as_clerk.post(URL, land_intake_post(demo_agencies))
    assert first.status_code == 302
    again = as_clerk.post(URL, land_intake_post(demo_agencies))  # double click / retry: the same key
    assert again.status_code == 302 and again["Location"] == first["Location"]
    dossier = Dossier.objects.get()
    assert first["Location"] == reverse("backoffice:dossier", args=[dossier.code])
    assert (dossier.channel, dossier.status) == (Channel.COUNTER, Status.RECEIVED)
    assert dossier.receiving_agency == demo_agencies["service_center"]
    assert dossier.competent_agency == demo_agencies["land_office"]
    assert dossier.form_data["thua_dat"]["so_phat_hanh_gcn"] == "DA 123456"
    receipt = dossier.notices.get(kind=Notice.Kind.RECEIPT)
    page = as_clerk.get(first["Location"]).content.decode()
    assert dossier.code in page
    assert reverse("backoffice:notice_pdf", args=[dossier.code, receipt.pk]) in page
    assert "Trần Thị Bình" in page


def test_a_scan_counts_as_the_document(as_clerk, demo_agencies):
    post = land_intake_post(demo_agencies, paper__giay_chung_nhan=None)
    post["doc__giay_chung_nhan"] = SimpleUploadedFile("gcn.pdf", b"%PDF-1.4 scan", "application/pdf")
    assert as_clerk.post(URL, post).status_code == 302
    documents = Dossier.objects.get().documents.all()
    document = documents.exclude(file="").get()
    assert document.slot == "giay_chung_nhan" and document.file.read() == b"%PDF-1.4 scan"
    # The ticked paper documents are recorded too (without a file), the scanned one only once.
    assert sorted(documents.filter(file="").values_list("slot", flat=True)) == [
        "don_dang_ky_bien_dong", "hop_dong_chuyen_nhuong", "to_khai_lptb", "to_khai_tncn"]


def test_postal_intake_needs_the_tracking_number(as_clerk, demo_agencies):
    response = as_clerk.post(URL, land_intake_post(demo_agencies, channel="postal"))
    assert response.status_code == 400
    assert "Vui lòng nhập số hiệu bưu gửi." in response.content.decode()
    response = as_clerk.post(URL, land_intake_post(demo_agencies, channel="postal", postal_tracking="EB123456789VN"))
    assert response.status_code == 302
    assert Dossier.objects.get().postal_tracking == "EB123456789VN"
    assert Dossier.objects.get().channel == Channel.POSTAL


def test_errors_are_summarised_and_what_was_typed_is_kept(as_clerk, demo_agencies):
    post = land_intake_post(demo_agencies, name="  ", paper__to_khai_tncn=None, address="Số 5 đường Võ Thị Sáu",
                            thua_dat__so_thua="")
    response = as_clerk.post(URL, post)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "Vui lòng nhập họ tên người nộp." in page and "Please enter the applicant&#x27;s name." not in page
    assert "Thiếu giấy tờ bắt buộc" in page and 'href="#paper-to_khai_tncn"' in page
    # the e-form's missing parcel number, named and linked to its field
    assert "Nhập thửa đất số của thửa đất" in page and 'href="#f-thua_dat__so_thua"' in page
    # Everything typed is still there, ticks included, with the same key (a retry is still one dossier).
    assert 'value="Số 5 đường Võ Thị Sáu"' in page and 'value="0987654321"' in page and 'value="DA 123456"' in page
    assert re.search(r'id="paper-giay_chung_nhan" name="paper__giay_chung_nhan" value="1" checked', page)
    assert not re.search(r'id="paper-to_khai_tncn" name="paper__to_khai_tncn" value="1" checked', page)
    assert 'value="0123456789abcdef0123456789abcdef"' in page
    assert not Dossier.objects.exists()


def test_the_competent_agency_must_be_chosen_among_those_offered(as_clerk, demo_agencies):
    response = as_clerk.post(URL, land_intake_post(demo_agencies, competent_agency=str(demo_agencies["tax"].pk)))
    assert response.status_code == 400
    assert "Vui lòng chọn cơ quan giải quyết." in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_used_key_with_other_content_is_refused_and_replaced(as_clerk, demo_agencies):
    assert as_clerk.post(URL, land_intake_post(demo_agencies)).status_code == 302
    response = as_clerk.post(URL, land_intake_post(demo_agencies, name="Phạm Văn Hùng"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mã chống gửi trùng" in page
    first = Dossier.objects.get()
    assert reverse("backoffice:dossier", args=[first.code]) in page  # the dossier this form already made
    new_key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page).group(1)
    assert new_key != "0123456789abcdef0123456789abcdef"
    assert as_clerk.post(URL, land_intake_post(demo_agencies, name="Phạm Văn Hùng",
                                               idempotency_key=new_key)).status_code == 302
    assert Dossier.objects.count() == 2


def test_only_clerks_receive_at_the_counter(as_specialist, client, demo_catalog):
    assert as_specialist.get(URL).status_code == 403
    assert as_specialist.get(reverse("backoffice:intake_choose")).status_code == 403
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("backoffice:login"))


def test_the_clerk_chooses_the_procedure_first(as_clerk):
    page = as_clerk.get(reverse("backoffice:intake_choose"), {"q": "khai sinh"}).content.decode()
    assert reverse("backoffice:intake", args=["1.001193"]) in page
    assert reverse("backoffice:intake", args=["1.013831"]) not in page
