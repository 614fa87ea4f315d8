"""Reference data kept per process (procedure versions, agencies, working calendars), forgotten on an edit.

A transition or a submission reads the same few procedures and agencies over and over; they change a few times a
year. Each area (`CATALOG`, `DIRECTORY`, `CALENDAR`) keeps what was read in this process until it is edited:

- the code that edits an area calls `edited(area)` (the catalog import and sync, the admin's saves, the demo
  set-up): this process forgets the area at once and again when the edit commits, and the area's counter row
  (`CacheGeneration`) is moved in the edit's own transaction;
- every process reads the counters (one small query for all areas) at most every `FRESHNESS_SECONDS` and forgets
  an area whose counter moved: an edit made by another process or server is seen within that time.

Django signals are not used (DESIGN.md): an edit that bypasses the actions and the admin (a bulk SQL update) must
call `edited` itself, or is seen after a restart.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, ClassVar, TypeVar

from django.db import DatabaseError, models, transaction
from django.db.models import F

CATALOG = "catalog"      # procedures, their versions and competent agencies
DIRECTORY = "directory"  # agencies
CALENDAR = "calendar"    # working schedules and calendar exceptions

FRESHNESS_SECONDS = 2.0
_clock = time.monotonic

T = TypeVar("T")


class ProcessCache:
    """Values of one area, by key; `get` builds a missing one."""

    def __init__(self, area: str) -> None:
        self.area = area
        self._values: dict[Hashable, Any] = {}
        self._epoch = 0
        self._lock = threading.Lock()
        _caches.setdefault(area, []).append(self)

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        check_freshness()
        try:
            value: T = self._values[key]
            return value
        except KeyError:
            pass
        epoch = self._epoch
        value = build()
        with self._lock:
            if epoch == self._epoch:  # not forgotten while it was being built (from rows perhaps just edited)
                self._values[key] = value
        return value

    def get_many(self, keys: set[Any], build: Callable[[set[Any]], dict[Any, Any]]) -> dict[Any, Any]:
        """The values of KEYS; the missing ones built together by BUILD(missing keys) -> {key: value}."""
        check_freshness()
        found = {key: self._values[key] for key in keys if key in self._values}
        missing = keys - found.keys()
        if missing:
            epoch = self._epoch
            built = build(missing)
            with self._lock:
                if epoch == self._epoch:
                    self._values.update(built)
            found.update(built)
        return found

    def forget(self) -> None:
        with self._lock:
            self._values.clear()
            self._epoch += 1


_caches: dict[str, list[ProcessCache]] = {}
_seen: dict[str, int] = {}
_checked_at: float | None = None
_check_lock = threading.Lock()


def forget(area: str) -> None:
    """Forget what this process keeps of AREA (no database access)."""
    for cache in _caches.get(area, ()):
        cache.forget()
    for hook in _hooks.get(area, ()):
        hook()


_hooks: dict[str, list[Callable[[], None]]] = {}


def on_forget(area: str, hook: Callable[[], None]) -> None:
    """Call HOOK whenever AREA is forgotten (a cache kept outside `ProcessCache`, e.g. the working calendars)."""
    _hooks.setdefault(area, []).append(hook)


def forget_all() -> None:
    """Forget every area and the counters seen (tests start each with nothing kept)."""
    global _checked_at
    for area in set(_caches) | set(_hooks):
        forget(area)
    with _check_lock:
        _seen.clear()
        _checked_at = None


def edited(*areas: str) -> None:
    """AREAS were (or are being) edited in the current transaction: forget them here now and after commit, and
    move their counters so that other processes forget them too."""
    from motcua.core.models import CacheGeneration

    for area in areas:
        if not CacheGeneration.objects.filter(area=area).update(generation=F("generation") + 1):
            CacheGeneration.objects.get_or_create(area=area)
            CacheGeneration.objects.filter(area=area).update(generation=F("generation") + 1)
        forget(area)
        transaction.on_commit(lambda area=area: forget(area))  # type: ignore[misc]


def check_freshness() -> None:
    """At most every FRESHNESS_SECONDS: read the counters and forget the areas another process edited."""
    global _checked_at
    now = _clock()
    if _checked_at is not None and now - _checked_at < FRESHNESS_SECONDS:
        return
    from motcua.core.models import CacheGeneration

    try:
        with transaction.atomic():  # a savepoint inside a transaction: a failure here must not break it
            counters = dict(CacheGeneration.objects.values_list("area", "generation"))
    except DatabaseError:  # the table is not there yet (before migrate) or the transaction is broken: keep nothing
        for area in set(_caches) | set(_hooks):
            forget(area)
        return
    with _check_lock:
        moved = [area for area in set(counters) | set(_seen) if counters.get(area) != _seen.get(area)]
        _seen.clear()
        _seen.update(counters)
        _checked_at = now
    for area in moved:
        forget(area)


class EditedArea(models.Model):
    """A model whose rows are kept per process: saving or deleting one calls `edited(*CACHE_AREAS)` (explicitly,
    not through a signal). Bulk writes (`update`, `bulk_create`) must call `edited` themselves."""

    CACHE_AREAS: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        edited(*self.CACHE_AREAS)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        result = super().delete(*args, **kwargs)
        edited(*self.CACHE_AREAS)
        return result
