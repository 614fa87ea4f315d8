"""Every file download checks who asks: the owner, or staff who see the dossier. Nobody else, and no public URL."""

import pytest
from django.conf import settings
from django.urls import reverse

from motcua.documents.tests.samples import png
from motcua.dossiers.actions import Applicant, Upload, submit_dossier
from motcua.dossiers.models import Channel

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
SECRET = png((1, 2, 3))


@pytest.fixture
def dossier(demo_catalog, demo_agencies, citizen):
    version = demo_catalog["1.001193"].current_version
    version.eform_schema = {}
    version.save()
    return submit_dossier(
        procedure=demo_catalog["1.001193"], channel=Channel.ONLINE, competent_agency=demo_agencies["tran_bien"],
        actor=citizen, applicant=Applicant(name="Nguyễn Văn An"),
        uploads=[Upload("to_khai_khai_sinh", "to-khai.pdf", SECRET),  # a PNG named .pdf
                 Upload("giay_chung_sinh", "gcs.png", png((9, 9, 9))),
                 Upload("giay_to_tuy_than", "cccd.png", png((8, 8, 8)))])


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user, backend=MODEL_BACKEND)
    return client.get(url)


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_only_the_owner_and_the_agency_get_the_file(client, dossier, citizen, other_citizen, other_clerk, clerk,
                                                    specialist):
    document = dossier.documents.get(slot="to_khai_khai_sinh")
    stored = citizen.stored_documents.get(kind="to_khai_khai_sinh")
    mine = reverse("portal:my_document", args=[dossier.code, document.pk])
    store = reverse("portal:stored_document", args=[stored.pk])
    staff = reverse("backoffice:document", args=[dossier.code, document.pk])

    for url in (mine, store):
        owner = _get(client, citizen, url)
        assert owner.status_code == 200 and _body(owner) == SECRET
        assert owner["Content-Type"] == "image/png"  # from the content, not the name
        assert owner["Content-Disposition"].startswith("attachment") and "to-khai.png" in owner["Content-Disposition"]
        assert owner["X-Content-Type-Options"] == "nosniff" and "sandbox" in owner["Content-Security-Policy"]
        assert owner["Cache-Control"] == "private, no-store"
        assert _get(client, other_citizen, url).status_code == 404
        assert _get(client, None, url).status_code == 302  # to the sign-in page
    # Another citizen cannot reach the file through the staff view either, nor can staff of other agencies.
    receiving = _get(client, other_clerk, staff)
    assert receiving.status_code == 200 and _body(receiving) == SECRET
    for outsider in (clerk, specialist):  # the provincial centre and the land office: a reason first (privacy)
        refused = _get(client, outsider, staff)
        assert refused.status_code == 403 and SECRET not in _body(refused)
    assert _get(client, other_citizen, staff).status_code in (302, 403)
    assert _get(client, None, staff).status_code == 302
    # Another citizen's own dossier code with this document's id: still 404.
    assert _get(client, other_citizen, reverse("portal:stored_document", args=[stored.pk + 1000])).status_code == 404


def test_uploaded_files_have_no_public_url(client, dossier):
    document = dossier.documents.get(slot="to_khai_khai_sinh")
    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"
    for url in (f"/{document.file.name}", f"/media/{document.file.name}", f"/{settings.MEDIA_URL}{document.file.name}"):
        assert client.get(url).status_code == 404
