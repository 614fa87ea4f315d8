"""Agencies kept per process (motcua.core.process_cache, area DIRECTORY): every transition reads the dossier's
agencies and the agency of the step it enters. Edits call `process_cache.edited(DIRECTORY)` (Agency.save)."""

from __future__ import annotations

from motcua.core.process_cache import DIRECTORY, ProcessCache
from motcua.directory.models import Agency

_by_pk = ProcessCache(DIRECTORY)
_by_function = ProcessCache(DIRECTORY)


def agencies(pks: set[int]) -> dict[int, Agency]:
    """The agencies of PKS, by key (shared by every caller in this process: read them, never change them)."""
    return _by_pk.get_many(pks, lambda missing: Agency.objects.in_bulk(missing))


def agency_with_function(function: str) -> Agency | None:
    """The active agency with FUNCTION (the first in the tree), or None."""
    return _by_function.get(
        function, lambda: Agency.objects.active().filter(function=function).order_by("path").first())
