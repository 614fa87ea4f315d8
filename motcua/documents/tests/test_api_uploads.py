"""The REST entry points run the same pipeline: type from content, bilingual errors, scan state in the answer."""

import base64

from motcua.documents.tests.samples import EXE, pdf, png
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.test_deadlines import BIRTH_FORM
from motcua.identity.tokens import issue_token
from motcua.portal.tests.test_api import api

SLOTS = ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")


def _files(bad_slot: str = "", bad: bytes = b"") -> list[dict[str, str]]:
    return [{"slot": slot, "name": f"{slot}.pdf",
             "content_base64": base64.b64encode(bad if slot == bad_slot else pdf(slot)).decode()} for slot in SLOTS]


def test_the_citizen_api_refuses_a_program_named_pdf_and_reports_scan_states(client, citizen, demo_catalog,
                                                                             demo_agencies):
    token = issue_token(citizen)
    body = {"procedure_code": "1.001193", "agency_eid": demo_agencies["tran_bien"].eid_code, "form_data": BIRTH_FORM,
            "documents": _files("giay_chung_sinh", EXE)}
    refused = api(client, "POST", "/me/dossiers", token, body)
    assert refused.status_code == 422
    vi, en = refused.json()["errors"]["documents/giay_chung_sinh"]
    assert "không đúng định dạng cho phép" in vi and "EXE" in en
    assert not Dossier.objects.exists()
    body["documents"] = _files("giay_chung_sinh", png())
    accepted = api(client, "POST", "/me/dossiers", token, body, HTTP_IDEMPOTENCY_KEY="app-uploads")
    assert accepted.status_code == 201
    documents = {d["slot"]: d for d in accepted.json()["documents"]}
    assert documents["giay_chung_sinh"]["name"] == "giay_chung_sinh.png"
    assert {d["scan_state"] for d in documents.values()} == {"not_scanned"}  # no scanner configured here


def test_the_national_portal_push_is_checked_too(client, settings, demo_catalog, demo_agencies):
    from motcua.integrations.tests.inbound_helpers import inline_file, post, wrapped

    settings.MOTCUA_NATIONAL_PORTAL_TOKEN = "dvcqg-token"
    files = [inline_file(slot, EXE if slot == "giay_to_tuy_than" else None) for slot in SLOTS]
    response = post(client, "/nhanhsdvcqg", wrapped(demo_agencies["tran_bien"].eid_code, TaiLieuNop=files),
                    token="dvcqg-token")
    answer = response.json()
    assert (response.status_code, answer["error_code"]) == (200, -1)
    assert "documents/giay_to_tuy_than" in answer["errors"]
    assert "không đúng định dạng cho phép" in answer["message"]
    assert not Dossier.objects.exists()
