"""Writes on the personal data store."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.db.models import Q, QuerySet

from motcua.documents.models import StoredDocument
from motcua.identity.models import User


def store_document(*, owner: User, kind: str, name: str, content: bytes, source: str, dossier_id: int | None = None,
                   valid_until: dt.date | None = None) -> StoredDocument:
    """Keep CONTENT in OWNER's store under KIND; the same file stored twice is kept once."""
    digest = hashlib.sha256(content).hexdigest()
    existing = StoredDocument.objects.filter(owner=owner, kind=kind, sha256=digest).first()
    if existing is not None:
        return existing
    document = StoredDocument(owner=owner, kind=kind, name=name, sha256=digest, size=len(content), source=source,
                              dossier_id=dossier_id, valid_until=valid_until)
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def reusable_documents(owner: User, kinds: list[str], today: dt.date) -> QuerySet[StoredDocument]:
    """OWNER's stored documents of these KINDS that are still valid."""
    return StoredDocument.objects.filter(owner=owner, kind__in=kinds).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
