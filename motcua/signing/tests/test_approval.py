"""The leader's approval signs the draft result: the citizen gets the signed e-result in their data store and
downloads it from "my dossiers" and the API; nobody else can. A signing failure leaves the dossier unapproved."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.documents.models import StoredDocument
from motcua.dossiers import actions
from motcua.dossiers.models import Channel, Dossier, Status
from motcua.dossiers.tests.helpers import LAND_PAPERS, at, land_dossier
from motcua.dossiers.workflow import WorkflowError
from motcua.identity.tokens import issue_token
from motcua.signing.actions import RETURNED_ONLINE, approve_with_result, upload_draft
from motcua.signing.models import ResultDocument
from motcua.signing.pdf import verify_pdf
from motcua.signing.tests.helpers import asn1_cert

WHEN = at(2026, 12, 2, 8)


@pytest.fixture
def at_specialist(demo_catalog, demo_agencies, citizen, clerk, specialist, tax_specialist, treasury_specialist):
    """An online land-transfer dossier of the citizen, at the land office specialist's last step before approval."""
    dossier = land_dossier(demo_catalog, demo_agencies, citizen, WHEN, channel=Channel.ONLINE, receiving_agency=None,
                           paper_documents=LAND_PAPERS, assurance_level=2)  # signed in with VNeID level 2
    dossier = actions.receive_dossier(dossier, actor=clerk, at=WHEN)
    for actor in (clerk, specialist, tax_specialist, treasury_specialist):
        dossier = actions.forward_dossier(dossier, actor=actor, at=WHEN)
    assert dossier.current_role == "specialist" and dossier.applicant == citizen
    return dossier


def signed_in(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_leader_approval_signs_the_result_and_the_owner_alone_can_download_it(
        agency_signing, at_specialist, specialist, leader, citizen, other_citizen, draft, pki):
    dossier = at_specialist
    # The specialist attaches the draft result on the staff dossier page, then forwards to the leader.
    as_specialist = signed_in(specialist)
    page = as_specialist.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert reverse("backoffice:upload_result", args=[dossier.code]) in page
    response = as_specialist.post(reverse("backoffice:upload_result", args=[dossier.code]),
                                  {"draft": SimpleUploadedFile("qd.pdf", draft, "application/pdf")})
    assert response.status_code == 302
    result = ResultDocument.objects.get(dossier=dossier)
    assert result.state == ResultDocument.State.DRAFT and result.draft_sha256 == hashlib.sha256(draft).hexdigest()
    dossier = actions.forward_dossier(dossier, actor=specialist, at=WHEN)
    assert dossier.current_role == "leader"

    as_leader = signed_in(leader)
    response = as_leader.post(reverse("backoffice:dossier_action", args=[dossier.code, "approve"]),
                              {"approve-expected_version": dossier.version, "approve-note": "Đồng ý"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    result.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    assert dossier.return_method == RETURNED_ONLINE
    assert result.state == ResultDocument.State.SIGNED and result.signer == leader and result.timestamped
    assert result.certificate_serial == format(pki.agency.cert.serial_number, "x")
    signed = result.signed_file.read()
    assert hashlib.sha256(signed).hexdigest() == result.sha256
    assert verify_pdf(signed, trust_roots=[asn1_cert(pki.root)]).valid

    # In the citizen's data store, as an issued result.
    stored = StoredDocument.objects.get(owner=citizen, source=StoredDocument.Source.RESULT, dossier=dossier)
    assert stored.sha256 == result.sha256 and result.stored_document == stored

    # The staff page shows it signed.
    staff_page = as_leader.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert "badge-valid" in staff_page and result.certificate_subject in staff_page

    # The owner downloads it from "my dossiers"; another citizen gets 404 for the same URL.
    url = reverse("portal:result", args=[dossier.code, result.pk])
    as_owner = signed_in(citizen)
    assert url in as_owner.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    response = as_owner.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == signed
    assert signed_in(other_citizen).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to sign-in

    # …and through the REST API with a token.
    owner_token, other_token = issue_token(citizen), issue_token(other_citizen)
    listing = Client().get(f"/api/v1/me/dossiers/{dossier.code}/results", HTTP_AUTHORIZATION=f"Bearer {owner_token}")
    assert listing.status_code == 200
    (item,) = listing.json()
    assert item["sha256"] == result.sha256
    download = Client().get(item["download_url"], HTTP_AUTHORIZATION=f"Bearer {owner_token}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == signed  # type: ignore[attr-defined]
    assert Client().get(item["download_url"], HTTP_AUTHORIZATION=f"Bearer {other_token}").status_code == 404
    assert Client().get(f"/api/v1/me/dossiers/{dossier.code}/results",
                        HTTP_AUTHORIZATION=f"Bearer {other_token}").status_code == 404


def test_a_signing_failure_leaves_the_dossier_unapproved(agency_signing, at_specialist, specialist, leader, draft):
    upload_draft(at_specialist, actor=specialist, name="qd.pdf", content=draft)
    dossier = actions.forward_dossier(at_specialist, actor=specialist, at=WHEN)
    agency_signing.MOTCUA_SIGNING_PKCS12_PASSWORD = "sai-mat-khau"  # the token / key cannot be opened
    with pytest.raises(WorkflowError) as caught:
        approve_with_result(dossier, actor=leader, expected_version=dossier.version)
    assert caught.value.code == "signing_failed"
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.current_role == "leader"
    assert ResultDocument.objects.get(dossier=dossier).state == ResultDocument.State.DRAFT
    assert not StoredDocument.objects.filter(dossier=dossier, source=StoredDocument.Source.RESULT).exists()

    # Through the staff page the leader sees why, and nothing moved.
    response = signed_in(leader).post(reverse("backoffice:dossier_action", args=[dossier.code, "approve"]),
                                      {"approve-expected_version": dossier.version})
    assert response.status_code == 400
    assert "CHƯA được phê duyệt" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSING


def test_a_stale_approval_signs_nothing_into_the_store(agency_signing, at_specialist, specialist, leader, draft):
    upload_draft(at_specialist, actor=specialist, name="qd.pdf", content=draft)
    dossier = actions.forward_dossier(at_specialist, actor=specialist, at=WHEN)
    with pytest.raises(WorkflowError) as caught:
        approve_with_result(dossier, actor=leader, expected_version=dossier.version - 1)
    assert caught.value.code == "stale"
    assert ResultDocument.objects.get(dossier=dossier).state == ResultDocument.State.DRAFT
    assert not ResultDocument.objects.exclude(signed_file="").exists()


def test_without_a_draft_approval_is_unchanged(at_specialist, specialist, leader):
    dossier = actions.forward_dossier(at_specialist, actor=specialist, at=WHEN)
    dossier = approve_with_result(dossier, actor=leader, expected_version=dossier.version)
    assert dossier.status == Status.RESULT_READY and dossier.return_method == "counter"
    assert not ResultDocument.objects.exists()


def test_only_whoever_acts_on_the_dossier_may_upload_a_pdf_draft(agency_signing, at_specialist, specialist, leader,
                                                                   other_clerk, draft):
    with pytest.raises(WorkflowError):  # the leader is not at this step yet
        upload_draft(at_specialist, actor=leader, name="qd.pdf", content=draft)
    with pytest.raises(WorkflowError) as caught:
        upload_draft(at_specialist, actor=specialist, name="qd.pdf", content=b"not a pdf")
    assert caught.value.code == "bad_draft"
    first = upload_draft(at_specialist, actor=specialist, name="qd.pdf", content=draft)
    second = upload_draft(at_specialist, actor=specialist, name="qd-2.pdf", content=draft + b"\n")
    first.refresh_from_db()
    assert first.state == ResultDocument.State.REPLACED and second.state == ResultDocument.State.DRAFT
    assert signed_in(other_clerk).post(reverse("backoffice:upload_result", args=[at_specialist.code]),
                                       {"draft": SimpleUploadedFile("x.pdf", draft)}).status_code == 404


def test_a_draft_result_with_active_content_is_refused(agency_signing, at_specialist, specialist, draft):
    """The citizen opens the signed result: a draft that would run JavaScript in their reader is refused, as every
    upload is, and no draft is attached."""
    import io

    import pikepdf

    document = pikepdf.open(io.BytesIO(draft))
    document.Root.OpenAction = document.make_indirect(pikepdf.Dictionary(
        S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')")))
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(WorkflowError) as caught:
        upload_draft(at_specialist, actor=specialist, name="qd.pdf", content=out.getvalue())
    assert caught.value.code == "active_content" and "JavaScript" in caught.value.message_vi
    assert not ResultDocument.objects.filter(dossier=at_specialist).exists()
