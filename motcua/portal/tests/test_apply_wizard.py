"""The long e-form, one question group per page: validation per page, save and resume, check your answers."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.portal.models import FormDraft


def page_url(index):
    return reverse("portal:apply_page", args=["1.001193", index])


def test_birth_registration_page_by_page(client, citizen, demo_catalog, demo_agencies):
    client.force_login(citizen)
    assert client.get(reverse("portal:apply", args=["1.001193"]))["Location"] == page_url(0)
    first = client.get(page_url(0)).content.decode()
    assert "Nguyễn Văn An" in first  # prefilled from the account
    agency = demo_agencies["tran_bien"].pk
    assert client.post(page_url(0), {"name": "Nguyễn Văn An", "agency": agency})["Location"] == page_url(1)
    # Page 2 asks about the child; leaving the name out shows an error summary linked to the field.
    missing = client.post(page_url(1), {"tre__gioi_tinh": "nam", "tre__ngay_sinh": "2026-11-18",
                                        "tre__noi_sinh": "Đồng Nai"})
    assert missing.status_code == 400
    text = missing.content.decode()
    assert "Nhập họ, chữ đệm và tên của người được khai sinh" in text and 'href="#f-tre__ho_ten"' in text
    assert client.post(page_url(1), {"tre__ho_ten": "Nguyễn Minh Khôi", "tre__gioi_tinh": "nam",
                                     "tre__ngay_sinh": "2026-11-18", "tre__noi_sinh": "Đồng Nai"}).status_code == 302
    # Save and come back later: the draft keeps what was typed.
    client.post(page_url(2), {"me__ho_ten": "Lê Thị Hồng", "save_and_leave": "1"})
    assert "Lê Thị Hồng" in client.get(page_url(2)).content.decode()
    mother = {"me__ho_ten": "Lê Thị Hồng", "me__so_dinh_danh": "075196002222"}
    assert client.post(page_url(2), mother).status_code == 302
    client.post(page_url(3), {})  # father: optional group
    client.post(page_url(4), {"nguoi_yeu_cau__ho_ten": "Nguyễn Văn An",
                              "nguoi_yeu_cau__so_dinh_danh": "075090001234"})
    last = len(client.get(page_url(0)).context["pages"]) - 1
    documents = client.post(page_url(last), {
        f"doc__{code}": SimpleUploadedFile(f"{code}.pdf", b"%PDF-1.4 " + code.encode(), "application/pdf")
        for code in ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")})
    assert documents["Location"] == reverse("portal:apply_check", args=["1.001193"])
    check = client.get(documents["Location"]).content.decode()
    assert "Nguyễn Minh Khôi" in check and "giay_chung_sinh.pdf" in check
    done = client.post(reverse("portal:apply_check", args=["1.001193"]))
    assert done.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.form_data["tre"]["ho_ten"] == "Nguyễn Minh Khôi" and dossier.documents.count() == 3
    assert not FormDraft.objects.exists()


def test_pages_of_another_procedure_are_separate_and_private(client, citizen, other_citizen, demo_catalog,
                                                             demo_agencies):
    client.force_login(citizen)
    client.post(page_url(0), {"name": "Nguyễn Văn An", "agency": demo_agencies["tran_bien"].pk})
    client.force_login(other_citizen)
    page = client.get(page_url(0)).content.decode()
    assert "Nguyễn Văn An" not in page
    assert FormDraft.objects.count() == 2
