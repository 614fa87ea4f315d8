"""Writes on the personal data store."""

from __future__ import annotations

import datetime as dt

from motcua.core import fastsql
from motcua.documents.models import Blob, StoredDocument
from motcua.documents.uploads import check_upload, store_blob
from motcua.identity.models import User


def store_document(*, owner: User, kind: str, name: str, source: str, content: bytes | None = None,
                   blob: Blob | None = None, dossier_id: int | None = None,
                   valid_until: dt.date | None = None) -> StoredDocument:
    """Keep a file in OWNER's store under KIND: either CONTENT (checked and stored here; raises
    `motcua.documents.uploads.UploadError` when refused) or a BLOB already stored. The same file stored twice
    under the same kind is kept once."""
    if blob is None:
        checked = check_upload(name, content or b"")
        blob, name = store_blob(checked), checked.name
    existing = StoredDocument.objects.filter(owner=owner, kind=kind, sha256=blob.sha256).first()
    if existing is not None:
        return existing
    document = StoredDocument(owner=owner, kind=kind, name=name, sha256=blob.sha256, size=blob.size, source=source,
                              blob=blob, dossier_id=dossier_id, valid_until=valid_until)
    document.file.name = blob.storage_name
    document.save()
    return document


def store_documents(*, owner: User, entries: list[tuple[str, str, Blob]], source: str,
                    dossier_id: int | None = None) -> None:
    """Keep already stored blobs in OWNER's store, each ENTRY as (kind, name, blob), in one statement; as
    `store_document`, a file already in the store under the same kind is kept once (the existing entry stays)."""
    rows: dict[tuple[str, str], StoredDocument] = {}
    for kind, name, blob in entries:
        document = StoredDocument(owner=owner, kind=kind, name=name, sha256=blob.sha256, size=blob.size,
                                  source=source, blob=blob, dossier_id=dossier_id)
        document.file.name = blob.storage_name
        rows.setdefault((kind, blob.sha256), document)
    if rows:
        fastsql.insert_many(list(rows.values()), ignore_conflicts=True)  # bulk_create without the query building
