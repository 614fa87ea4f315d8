"""Procedures kept per process (motcua.core.process_cache, area CATALOG): every transition reads its dossier's
version and procedure, every submission its published procedure and competent agencies. Edits call
`process_cache.edited(CATALOG)` (Procedure.save, ProcedureVersion.save, Agency.save, the catalog import and sync,
the admin)."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core.process_cache import CATALOG, ProcessCache
from motcua.directory.models import Agency

# Large JSON a transition does not need; an action that does reads it when it asks (on the shared instance).
VERSION_FIELDS_NOT_NEEDED = ("eform_schema", "required_documents", "fees", "legal_basis", "time_rule")

_versions = ProcessCache(CATALOG)


def version_for_transition(pk: int) -> ProcedureVersion:
    """Version PK with its procedure, without the large fields (shared in this process: never change it)."""
    return _versions.get(pk, lambda: ProcedureVersion.objects.select_related("procedure")
                         .defer(*VERSION_FIELDS_NOT_NEEDED).get(pk=pk))


_published = ProcessCache(CATALOG)
_competent = ProcessCache(CATALOG)


def published_procedure(national_code: str) -> Procedure | None:
    """The published procedure of NATIONAL_CODE with its whole current version (what a submission checks: the
    e-form, the documents, the steps), or None (shared in this process: never change it)."""
    return _published.get(national_code, lambda: Procedure.objects.published().select_related("current_version")
                          .filter(national_code=national_code).first())


@dataclass(frozen=True)
class Competent:
    ids: frozenset[int]               # every agency linked to the procedure
    active_by_eid: dict[str, Agency]  # the active ones, by e-ID code (what a citizen chooses from)


def competent_agencies(procedure_pk: int) -> Competent:
    """The procedure's competent agencies (shared in this process: never change them)."""
    def build() -> Competent:
        rows = list(Agency.objects.filter(procedures=procedure_pk))
        return Competent(frozenset(a.pk for a in rows), {a.eid_code: a for a in rows if a.is_active})

    return _competent.get(procedure_pk, build)
