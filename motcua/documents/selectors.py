"""Reads on the personal data store."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from motcua.documents.models import ScanState, StoredDocument
from motcua.identity.models import User

# A stored file the virus scan rejected (or could not check) is never offered again nor attached to a dossier.
UNUSABLE_STATES = (ScanState.INFECTED, ScanState.FAILED)


def usable_documents(owner: User) -> QuerySet[StoredDocument]:
    """OWNER's stored documents that the virus scan did not reject."""
    return StoredDocument.objects.filter(owner=owner).exclude(blob__scan_state__in=UNUSABLE_STATES)


def reusable_documents(owner: User, kinds: list[str], today: dt.date) -> QuerySet[StoredDocument]:
    """OWNER's stored documents of these KINDS that are still valid (and not rejected by the virus scan)."""
    return (usable_documents(owner).filter(kind__in=kinds)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today)).select_related("blob"))
