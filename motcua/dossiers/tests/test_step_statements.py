"""A workflow step's statements, counted (docs/benchmarks.md, section 1): a regression that adds one fails here.

With the procedure version and the agencies kept per process (motcua.core.process_cache), a forward step is:
the dossier row locked, its update, the event, the audit-chain head locked, the seal with the head's move (one
statement on PostgreSQL, two on SQLite), the national-portal record. Savepoints are not counted (the test's own
transaction turns the step's into one)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.core import process_cache
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.helpers import at, land_dossier

STEP_STATEMENTS = {"postgresql": 6, "sqlite": 7}


def _statements(queries):
    return [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]


def test_a_forward_step(demo_catalog, demo_agencies, clerk, monkeypatch):
    monkeypatch.setattr(process_cache, "FRESHNESS_SECONDS", 3600.0)  # no freshness check inside the count
    first, second = (land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30)) for _ in range(2))
    actions.forward_dossier(Dossier(pk=first.pk), actor=clerk)  # the process reads the version and agencies
    with CaptureQueriesContext(connection) as queries:
        moved = actions.forward_dossier(Dossier(pk=second.pk), actor=clerk)
    statements = _statements(queries)
    assert len(statements) == STEP_STATEMENTS[connection.vendor], "\n".join(statements)
    assert not any("catalog_" in sql or "directory_agency" in sql for sql in statements)
    assert moved.step_index == 1 and moved.events.count() == 2
    assert moved.events.get(seq=2).seal.position == moved.events.get(seq=1).seal.position + 2


def test_the_first_step_of_a_process_reads_the_version_and_agencies_once(demo_catalog, demo_agencies, clerk,
                                                                        monkeypatch):
    monkeypatch.setattr(process_cache, "FRESHNESS_SECONDS", 3600.0)
    process_cache.check_freshness()
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    process_cache.forget_all()
    process_cache.check_freshness()
    with CaptureQueriesContext(connection) as queries:
        actions.forward_dossier(Dossier(pk=dossier.pk), actor=clerk)
    # + the version with its procedure (one join), the agencies (one IN query), the working calendar (schedule and
    # exceptions); the next step's agency here is the competent one, already read
    extra = [sql for sql in _statements(queries) if "catalog_" in sql or "directory_" in sql or "workcalendar_" in sql]
    assert len(extra) == 4 and len(_statements(queries)) == STEP_STATEMENTS[connection.vendor] + 4
