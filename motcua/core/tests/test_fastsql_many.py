"""`fastsql.insert_many`: the rows `bulk_create` would write, in one fixed statement."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.core import fastsql
from motcua.documents.models import Blob


def _blob(n: int) -> Blob:
    return Blob(sha256=f"{n:064x}", size=n, content_type="application/pdf")


def test_the_rows_are_written_with_their_keys_and_defaults_in_one_statement(db):
    with CaptureQueriesContext(connection) as queries:
        written = fastsql.insert_many([_blob(1), _blob(2), _blob(3)])
    assert len(queries.captured_queries) == 1
    stored = {b.pk: b for b in Blob.objects.all()}
    assert [stored[b.pk].sha256 for b in written] == [f"{n:064x}" for n in (1, 2, 3)]
    assert all(stored[b.pk].created_at == b.created_at and stored[b.pk].scan_state == "pending" for b in written)
    assert all(not b._state.adding for b in written)


def test_a_conflict_is_skipped_and_the_others_written(db):
    fastsql.insert_many([_blob(1)])
    before = Blob.objects.get(sha256=f"{1:064x}")
    fastsql.insert_many([_blob(1), _blob(4)], ignore_conflicts=True)
    assert Blob.objects.count() == 2
    assert Blob.objects.get(sha256=f"{1:064x}").created_at == before.created_at  # the existing row kept


def test_more_rows_than_one_statement_takes_still_go_in(db):
    written = fastsql.insert_many([_blob(n) for n in range(1, 1201)])
    assert Blob.objects.count() == 1200 and len(written) == 1200
    assert fastsql.insert_many([]) == []
