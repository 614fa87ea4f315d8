"""The personal data store: submitted documents are kept; a new dossier reuses them; reuse is counted."""

from django.urls import reverse

from motcua.documents.models import StoredDocument
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.portal.tests.test_submit_online import files, form


def test_documents_are_stored_then_reused_and_the_form_prefilled(client, citizen, demo_catalog, demo_agencies):
    client.force_login(citizen)
    url = reverse("portal:submit", args=["1.001193"])
    agency = demo_agencies["tran_bien"].pk
    client.post(url, {**form(agency=agency), **files()})
    stored = StoredDocument.objects.filter(owner=citizen)
    assert sorted(stored.values_list("kind", flat=True)) == ["giay_chung_sinh", "giay_to_tuy_than",
                                                             "to_khai_khai_sinh"]
    page = client.get(url)
    text = page.content.decode()
    assert "Nguyễn Minh Khôi" in text  # prefilled from the earlier dossier
    id_card = stored.get(kind="giay_to_tuy_than")
    assert f'name="reuse__giay_to_tuy_than" value="{id_card.pk}"' in text
    # Second dossier: new birth certificate and form, the ID card reused from the store.
    uploads = {k: v for k, v in files().items() if k != "doc__giay_to_tuy_than"}
    response = client.post(url, {**form(agency=agency, idempotency_key="k-2", tre__ho_ten="Nguyễn Minh Khang"),
                                 **uploads, "reuse__giay_to_tuy_than": id_card.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    second = Dossier.objects.order_by("-pk").first()
    reused = DossierDocument.objects.get(dossier=second, slot="giay_to_tuy_than")
    assert reused.reused_from == id_card and reused.file.name == id_card.file.name
    assert DossierDocument.objects.filter(reused_from__isnull=False).count() == 1


def test_another_citizens_stored_document_cannot_be_reused(client, citizen, other_citizen, demo_catalog,
                                                           demo_agencies):
    client.force_login(citizen)
    url = reverse("portal:submit", args=["1.001193"])
    client.post(url, {**form(agency=demo_agencies["tran_bien"].pk), **files()})
    foreign = StoredDocument.objects.get(owner=citizen, kind="giay_to_tuy_than")
    client.force_login(other_citizen)
    uploads = {k: v for k, v in files().items() if k != "doc__giay_to_tuy_than"}
    response = client.post(url, {**form(agency=demo_agencies["tran_bien"].pk, idempotency_key="k-9"), **uploads,
                                 "reuse__giay_to_tuy_than": foreign.pk})
    assert response.status_code == 400
    assert Dossier.objects.filter(applicant=other_citizen).count() == 0


def test_the_store_keeps_a_file_once_per_kind_in_one_statement(citizen, django_assert_num_queries):
    from motcua.documents.actions import store_document, store_documents
    from motcua.documents.tests.samples import pdf
    from motcua.documents.uploads import check_upload, store_blobs

    old, new = store_blobs([check_upload("a.pdf", pdf("a")), check_upload("b.pdf", pdf("b"))])
    store_document(owner=citizen, kind="giay_to_tuy_than", name="cu.pdf", blob=old, source="submitted")
    with django_assert_num_queries(1):
        store_documents(owner=citizen, source="submitted", entries=[
            ("giay_to_tuy_than", "lai.pdf", old), ("giay_to_tuy_than", "moi.pdf", new),
            ("giay_to_tuy_than", "moi-lan-2.pdf", new), ("giay_chung_sinh", "gcs.pdf", old)])
    rows = sorted(StoredDocument.objects.filter(owner=citizen).values_list("kind", "name", "sha256"))
    assert rows == [("giay_chung_sinh", "gcs.pdf", old.sha256), ("giay_to_tuy_than", "cu.pdf", old.sha256),
                    ("giay_to_tuy_than", "moi.pdf", new.sha256)]
    assert {d.file.name for d in StoredDocument.objects.filter(blob=new)} == {new.storage_name}
