"""Reference data kept per process (motcua.core.process_cache): read once, forgotten at once on an edit in this
process, and within FRESHNESS_SECONDS on an edit by another process (seen through the counter row)."""

import threading

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from motcua.catalog.cached import version_for_transition
from motcua.core import process_cache
from motcua.core.models import CacheGeneration
from motcua.directory.cached import agencies, agency_with_function
from motcua.directory.models import Agency


def _later(monkeypatch, seconds):
    now = process_cache._clock() + seconds
    monkeypatch.setattr(process_cache, "_clock", lambda: now)


def _edited_elsewhere(area):
    """What another process's edit leaves in this one's database: the counter moved, nothing forgotten here."""
    CacheGeneration.objects.filter(area=area).update(generation=F("generation") + 1)


def test_read_once_then_from_the_process(demo_agencies):
    tax = agency_with_function("tax")
    assert tax is not None and tax.function == "tax"
    with CaptureQueriesContext(connection) as queries:
        assert agency_with_function("tax") is tax
        by_key = agencies({tax.pk})[tax.pk]
        assert by_key.pk == tax.pk and agencies({tax.pk})[tax.pk] is by_key
    assert len(queries) == 1  # the by-key cache's first read; nothing for what was kept


def test_an_agency_edit_here_is_seen_at_once(demo_agencies):
    tax = agency_with_function("tax")
    assert tax is not None
    assert agencies({tax.pk})[tax.pk].name == tax.name
    row = Agency.objects.get(pk=tax.pk)
    row.is_active = False
    row.name = "Chi cục Thuế (cũ)"
    row.save()
    assert agency_with_function("tax") != tax
    assert agencies({tax.pk})[tax.pk].name == "Chi cục Thuế (cũ)"


def test_an_edit_in_another_process_is_seen_after_the_freshness_check(demo_agencies, monkeypatch):
    tax = agency_with_function("tax")
    assert tax is not None
    # As another process would: the row and the counter change, no forget reaches this one.
    Agency.objects.filter(pk=tax.pk).update(function="old_tax")
    _edited_elsewhere(process_cache.DIRECTORY)
    assert agency_with_function("tax") == tax  # still the kept one, until the next check
    _later(monkeypatch, process_cache.FRESHNESS_SECONDS + 0.1)
    assert agency_with_function("tax") is None


def test_a_bulk_change_without_the_counter_is_not_seen(demo_agencies, monkeypatch):
    """The counter is the contract: an edit must move it (`edited`), a silent bulk update stays unseen."""
    tax = agency_with_function("tax")
    Agency.objects.filter(pk=tax.pk).update(function="old_tax")
    _later(monkeypatch, process_cache.FRESHNESS_SECONDS + 0.1)
    assert agency_with_function("tax") == tax
    process_cache.edited(process_cache.DIRECTORY)
    assert agency_with_function("tax") is None


def test_the_check_reads_one_row_set_at_most_every_few_seconds(demo_agencies, monkeypatch):
    agency_with_function("tax")
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            agency_with_function("tax")
    assert len(queries) == 0
    _later(monkeypatch, process_cache.FRESHNESS_SECONDS + 0.1)
    with CaptureQueriesContext(connection) as queries:
        agency_with_function("tax")
        agency_with_function("tax")
    assert [q["sql"] for q in queries if "core_cachegeneration" in q["sql"]] and len(queries) <= 3


def test_a_procedure_version_edit_is_seen(demo_catalog):
    version = demo_catalog["1.013831"].current_version
    kept = version_for_transition(version.pk)
    assert version_for_transition(version.pk) is kept
    procedure = version.procedure
    procedure.name = "Tên mới"
    procedure.save()
    assert version_for_transition(version.pk).procedure.name == "Tên mới"


def test_a_procedure_edited_in_another_process(demo_catalog, monkeypatch):
    version = demo_catalog["1.013831"].current_version
    assert version_for_transition(version.pk).procedure.name != "Tên khác"
    type(version.procedure).objects.filter(pk=version.procedure_id).update(name="Tên khác")
    _edited_elsewhere(process_cache.CATALOG)
    _later(monkeypatch, process_cache.FRESHNESS_SECONDS + 0.1)
    assert version_for_transition(version.pk).procedure.name == "Tên khác"


def test_a_value_built_while_it_was_forgotten_is_not_kept(db):
    cache = process_cache.ProcessCache("test-area")
    built = threading.Event()

    def build():
        process_cache.forget("test-area")  # an edit lands while the value is read
        built.set()
        return "stale"

    assert cache.get("k", build) == "stale" and built.is_set()
    assert cache.get("k", lambda: "fresh") == "fresh"


@pytest.mark.django_db(transaction=True)
def test_an_edit_is_forgotten_again_when_it_commits():
    """A reader in another thread may keep the rows as they were before the edit committed; the commit drops it."""
    from django.db import transaction

    cache = process_cache.ProcessCache("test-commit")
    with transaction.atomic():
        process_cache.edited("test-commit")
        cache.get("k", lambda: "before the commit")
        assert cache.get("k", lambda: "other") == "before the commit"
    assert cache.get("k", lambda: "after") == "after"
