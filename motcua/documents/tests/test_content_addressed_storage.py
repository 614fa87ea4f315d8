"""Files are stored once under their SHA-256 (`cas/ab/cd/<sha256>`), however often they are uploaded."""

import hashlib
import os

from django.conf import settings
from django.core.files.storage import default_storage

from motcua.documents.actions import store_document
from motcua.documents.models import Blob, StoredDocument
from motcua.documents.tests.samples import pdf
from motcua.dossiers.actions import Applicant, Upload, submit_dossier
from motcua.dossiers.models import Channel, DossierDocument

SLOTS = ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")


def test_the_same_content_is_kept_once(demo_catalog, demo_agencies, citizen, other_citizen):
    version = demo_catalog["1.001193"].current_version
    version.eform_schema = {}
    version.save()
    shared = pdf("ban sao cccd")
    digest = hashlib.sha256(shared).hexdigest()
    for user, tag in ((citizen, "a"), (other_citizen, "b")):
        submit_dossier(procedure=demo_catalog["1.001193"], channel=Channel.ONLINE, actor=user,
                       competent_agency=demo_agencies["tran_bien"], applicant=Applicant(name=user.full_name),
                       uploads=[Upload("to_khai_khai_sinh", "tk.pdf", pdf(tag)),
                                Upload("giay_chung_sinh", "gcs.pdf", pdf(tag + "2")),
                                Upload("giay_to_tuy_than", "cccd.pdf", shared)])
    store_document(owner=citizen, kind="giay_to_tuy_than", name="lai.pdf", content=shared, source="submitted")
    name = f"cas/{digest[:2]}/{digest[2:4]}/{digest}"
    blob = Blob.objects.get(sha256=digest)
    assert blob.storage_name == name and blob.size == len(shared) and blob.content_type == "application/pdf"
    # Two dossiers and two data stores point at it; the storage holds one copy, under its digest.
    assert DossierDocument.objects.filter(blob=blob).count() == 2
    assert StoredDocument.objects.filter(blob=blob).count() == 2
    assert {d.file.name for d in DossierDocument.objects.filter(blob=blob)} == {name}
    with default_storage.open(name) as fh:
        assert fh.read() == shared
    folder = os.path.join(settings.MEDIA_ROOT, "cas", digest[:2], digest[2:4])
    assert os.listdir(folder) == [digest]
    assert Blob.objects.count() == 5  # 2 × 2 own files + the shared one
