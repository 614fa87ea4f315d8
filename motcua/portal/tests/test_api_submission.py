"""The citizen API's submission answers with the rows it has just written (no reading back), in a bounded number
of statements; the answer is the one a later read gives, for a new dossier, a retry and a reused document."""

import base64

from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.core import process_cache
from motcua.documents.models import StoredDocument
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.test_deadlines import BIRTH_FORM
from motcua.identity.tokens import issue_token
from motcua.portal.tests.test_api import api, files_b64

# A new online dossier with three new files, from the token check to the answer (savepoints not counted): the token
# and its user (2: two fixed statements on unique keys, no join), the idempotency key (1), known-infected content
# (1), then in one transaction the daily code, the dossier, its blobs (2: insert what is new, read them all) and
# documents, the first event with its audit seal (3 on SQLite, 2 on PostgreSQL: the seal and the head's move are
# one statement there), portal sync and data-store entries — none per file. The published procedure and its
# agencies are kept per process (motcua.catalog.cached) and a citizen's staff roles are not looked up. (It was
# about fifty, several per file; 20 before the per-process caches.)
STATEMENTS = {"sqlite": 15, "postgresql": 14}


def _body(demo_agencies, documents, reuse=()):
    return {"procedure_code": "1.001193", "agency_eid": demo_agencies["tran_bien"].eid_code,
            "form_data": BIRTH_FORM, "documents": documents, "reuse": list(reuse)}


def test_the_answer_is_what_a_later_read_shows(client, citizen, demo_catalog, demo_agencies):
    token = issue_token(citizen)
    first = api(client, "POST", "/me/dossiers", token, _body(demo_agencies, files_b64()), HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == 201
    code = first.json()["code"]
    shown = api(client, "GET", f"/me/dossiers/{code}", token).json()
    assert first.json() == shown
    assert [e["status"] for e in shown["events"]] == ["submitted"]
    assert [d["slot"] for d in shown["documents"]] == ["to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than"]
    # A retry is answered with the same dossier, read back.
    again = api(client, "POST", "/me/dossiers", token, _body(demo_agencies, files_b64()), HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 201 and again.json() == shown and Dossier.objects.count() == 1

    # A second dossier reuses the ID card from the data store and uploads the other two again.
    id_card = StoredDocument.objects.get(owner=citizen, kind="giay_to_tuy_than")
    second = api(client, "POST", "/me/dossiers", token,
                 _body(demo_agencies, files_b64()[:2], reuse=[id_card.pk]), HTTP_IDEMPOTENCY_KEY="k2")
    assert second.status_code == 201
    assert second.json() == api(client, "GET", f"/me/dossiers/{second.json()['code']}", token).json()
    assert [(d["slot"], d["reused"]) for d in second.json()["documents"]] == [
        ("to_khai_khai_sinh", False), ("giay_chung_sinh", False), ("giay_to_tuy_than", True)]


def test_a_submission_takes_a_bounded_number_of_statements(client, citizen, demo_catalog, demo_agencies, monkeypatch):
    monkeypatch.setattr(process_cache, "FRESHNESS_SECONDS", 3600.0)  # no freshness check inside the count
    token = issue_token(citizen)
    # An earlier dossier (the audit chain has its head; the token's last use is written, once a minute; the
    # procedure and its agencies are read by this process).
    api(client, "POST", "/me/dossiers", token, _body(demo_agencies, files_b64()), HTTP_IDEMPOTENCY_KEY="k-first")
    new_files = [{**f, "content_base64": base64.b64encode(b"%PDF-1.4 new " + f["slot"].encode()).decode()}
                 for f in files_b64()]
    with CaptureQueriesContext(connection) as queries:
        response = api(client, "POST", "/me/dossiers", token, _body(demo_agencies, new_files),
                       HTTP_IDEMPOTENCY_KEY="k-count")
    assert response.status_code == 201
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == STATEMENTS[connection.vendor], "\n".join(statements)
    assert not any("directory_staffassignment" in sql or "catalog_procedure" in sql for sql in statements)
