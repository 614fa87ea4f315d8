"""Procedure versions kept per process (motcua.core.process_cache, area CATALOG): every transition reads its
dossier's version and procedure. Edits call `process_cache.edited(CATALOG)` (Procedure.save, ProcedureVersion.save,
the catalog import and sync, the admin)."""

from __future__ import annotations

from motcua.catalog.models import ProcedureVersion
from motcua.core.process_cache import CATALOG, ProcessCache

# Large JSON a transition does not need; an action that does reads it when it asks (on the shared instance).
VERSION_FIELDS_NOT_NEEDED = ("eform_schema", "required_documents", "fees", "legal_basis", "time_rule")

_versions = ProcessCache(CATALOG)


def version_for_transition(pk: int) -> ProcedureVersion:
    """Version PK with its procedure, without the large fields (shared in this process: never change it)."""
    return _versions.get(pk, lambda: ProcedureVersion.objects.select_related("procedure")
                         .defer(*VERSION_FIELDS_NOT_NEEDED).get(pk=pk))
