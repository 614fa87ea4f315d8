"""Size limits per file and per dossier (settings): clear errors in both languages, nothing else lost."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.documents.tests.samples import pdf
from motcua.documents.uploads import UploadError, check_upload
from motcua.dossiers.actions import (
    Applicant,
    IntakeError,
    Upload,
    request_supplement,
    submit_dossier,
    supplement_dossier,
)
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.workflow import WorkflowError
from motcua.portal.tests.test_submit_online import form

SLOTS = ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")


def padded(size: int, tag: str = "") -> bytes:
    head = pdf(tag)
    return head + b"%" * (size - len(head))


@pytest.fixture
def small_limits(settings):
    settings.MOTCUA_UPLOAD_MAX_FILE_BYTES = 20_000
    settings.MOTCUA_UPLOAD_MAX_DOSSIER_BYTES = 50_000


def test_a_file_over_the_limit_is_refused(small_limits):
    check_upload("a.pdf", padded(20_000))
    with pytest.raises(UploadError) as refused:
        check_upload("a.pdf", padded(20_001))
    assert refused.value.code == "too_large"
    assert "lớn hơn giới hạn" in refused.value.message_vi and "larger than the" in refused.value.message_en


def test_the_portal_keeps_what_was_typed_when_a_file_is_too_large(small_limits, client, citizen, demo_catalog,
                                                                   demo_agencies):
    client.force_login(citizen, backend="django.contrib.auth.backends.ModelBackend")
    uploads = {f"doc__{slot}": SimpleUploadedFile(f"{slot}.pdf", padded(30_000 if slot == "giay_chung_sinh"
                                                                         else 1_000, slot), "application/pdf")
               for slot in SLOTS}
    response = client.post(reverse("portal:submit", args=["1.001193"]),
                           {**form(agency=demo_agencies["tran_bien"].pk), **uploads})
    assert response.status_code == 400
    page = response.content.decode()
    assert "lớn hơn giới hạn" in page
    assert "Nguyễn Minh Khôi" in page and "Bệnh viện Đa khoa Đồng Nai" in page  # the form as typed
    assert not Dossier.objects.exists()


def test_all_files_of_a_dossier_together_are_limited(small_limits, demo_catalog, demo_agencies, citizen):
    version = demo_catalog["1.001193"].current_version
    version.eform_schema = {}
    version.save()
    kwargs = {"procedure": demo_catalog["1.001193"], "channel": Channel.ONLINE, "actor": citizen,
              "competent_agency": demo_agencies["tran_bien"], "applicant": Applicant(name="Nguyễn Văn An")}
    with pytest.raises(IntakeError) as refused:
        submit_dossier(**kwargs, uploads=[Upload(slot, "a.pdf", padded(19_000, slot)) for slot in SLOTS])
    vi, en = refused.value.errors["documents"]
    assert "Tổng dung lượng" in vi and "exceed the" in en
    assert not Dossier.objects.exists()
    dossier = submit_dossier(**kwargs, uploads=[Upload(slot, "a.pdf", padded(15_000, slot)) for slot in SLOTS])
    # A supplement counts against what the dossier already holds.
    request_supplement(dossier, actor=_clerk_of(dossier), items=["Bản sao giấy chứng sinh"], note="Thiếu")
    with pytest.raises(WorkflowError) as too_much:
        supplement_dossier(Dossier.objects.get(pk=dossier.pk), actor=citizen,
                           uploads=[Upload("giay_chung_sinh", "b.pdf", padded(6_000, "more"))])
    assert too_much.value.code == "bad_upload" and "Tổng dung lượng" in too_much.value.message_vi


def _clerk_of(dossier):
    from motcua.identity.models import User

    return User.objects.get(username="tiepnhan.tranbien")
