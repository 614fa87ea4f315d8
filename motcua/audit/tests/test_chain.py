"""Every dossier event is sealed in its own transaction, and any edit, deletion or reordering is detected."""

import io
import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from motcua.audit.actions import seal_backlog
from motcua.audit.chain import link_hash
from motcua.audit.models import GENESIS_HASH, ChainHead, EventSeal
from motcua.audit.selectors import verify_chain
from motcua.dossiers import actions
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.tests.helpers import at, land_dossier

EVENTS = DossierEvent._meta.db_table
SEALS = EventSeal._meta.db_table
HEAD = ChainHead._meta.db_table


@pytest.fixture
def walked(demo_catalog, demo_agencies, clerk, specialist):
    """Two dossiers, five events: both received at the counter, both forwarded, the first forwarded again."""
    first = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 9))
    second = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 9, 30))
    first = actions.forward_dossier(first, actor=clerk, at=at(2026, 11, 30, 10))
    second = actions.forward_dossier(second, actor=clerk, at=at(2026, 11, 30, 10, 5))
    actions.forward_dossier(first, actor=specialist, at=at(2026, 12, 1, 15))
    return first, second


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _verify_command(*args):
    out = io.StringIO()
    call_command("verify_audit_chain", *args, stdout=out)
    return out.getvalue()


def _broken_command(*args):
    with pytest.raises(CommandError) as failed:
        _verify_command(*args)
    assert failed.value.returncode == 1
    return str(failed.value)


def test_every_event_is_sealed_in_order_and_the_chain_verifies(walked):
    events = list(DossierEvent.objects.order_by("id"))
    seals = list(EventSeal.objects.order_by("position"))
    assert [s.event_id for s in seals] == [e.pk for e in events]
    assert [s.position for s in seals] == list(range(1, len(events) + 1))
    assert seals[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(seals):
        assert after.prev_hash == before.hash
    head = ChainHead.objects.get()
    assert (head.position, head.hash) == (seals[-1].position, seals[-1].hash)
    result = verify_chain()
    assert result.ok and result.checked == len(events) == 5
    assert "intact" in _verify_command()


def test_the_hash_covers_every_field_of_the_event(walked):
    seal = EventSeal.objects.get(position=3)
    values = DossierEvent.objects.filter(pk=seal.event_id).values().get()
    assert link_hash(values, 3, seal.prev_hash) == seal.hash
    for name, other in [("note", "sửa"), ("actor_id", None), ("created_at", values["created_at"].replace(year=2025)),
                        ("data", {"x": 1}), ("to_status", "refused"), ("is_public", not values["is_public"])]:
        assert link_hash({**values, name: other}, 3, seal.prev_hash) != seal.hash, name
    assert link_hash(values, 4, seal.prev_hash) != seal.hash
    assert link_hash(values, 3, GENESIS_HASH if seal.prev_hash != GENESIS_HASH else "f" * 64) != seal.hash


def test_an_event_edited_with_sql_is_detected_and_named(walked):
    seal = EventSeal.objects.get(position=4)
    event = DossierEvent.objects.select_related("dossier").get(pk=seal.event_id)
    _sql(f"UPDATE {EVENTS} SET note = %s WHERE id = %s", ["đã sửa lén", event.pk])  # noqa: S608
    result = verify_chain()
    assert not result.ok and result.broken is not None
    assert (result.broken.position, result.broken.event_id) == (4, event.pk)
    assert result.checked == 3
    message = _broken_command()
    assert f"event #{event.pk}" in message and event.dossier.code in message and "altered" in message


def test_an_edited_seal_hash_is_detected(walked):
    _sql(f"UPDATE {SEALS} SET hash = %s WHERE position = 2", ["a" * 64])  # noqa: S608
    assert verify_chain().broken.position == 2


def test_a_recomputed_seal_still_breaks_the_next_link(walked):
    """Whoever edits an event and recomputes its seal breaks the following link's previous hash."""
    seal = EventSeal.objects.get(position=2)
    _sql(f"UPDATE {EVENTS} SET note = %s WHERE id = %s", ["viết lại", seal.event_id])  # noqa: S608
    values = DossierEvent.objects.filter(pk=seal.event_id).values().get()
    _sql(f"UPDATE {SEALS} SET hash = %s WHERE position = 2", [link_hash(values, 2, seal.prev_hash)])  # noqa: S608
    broken = verify_chain().broken
    assert broken.position == 3 and "previous link" in broken.reason_en


def test_a_deleted_link_is_detected(walked):
    gone = EventSeal.objects.get(position=3)
    _sql(f"DELETE FROM {SEALS} WHERE position = 3")  # noqa: S608
    result = verify_chain()
    assert result.broken.position == 4 and "missing" in result.broken.reason_en
    assert result.unsealed == 1 and result.first_unsealed == [gone.event_id]


def test_a_deleted_event_and_seal_are_detected(walked):
    """The event row goes too (with what cascades from it): the gap remains."""
    seal = EventSeal.objects.get(position=3)
    _sql(f"DELETE FROM {SEALS} WHERE position = 3")  # noqa: S608
    for model in DossierEvent._meta.related_objects:
        if model.related_model is not EventSeal:
            _sql(f"DELETE FROM {model.related_model._meta.db_table} WHERE {model.field.column} = %s",  # noqa: S608
                 [seal.event_id])
    _sql(f"DELETE FROM {EVENTS} WHERE id = %s", [seal.event_id])  # noqa: S608
    result = verify_chain()
    assert result.broken.position == 4 and result.unsealed == 0


def test_reordered_links_are_detected(walked):
    _sql(f"UPDATE {SEALS} SET position = 1000 WHERE position = 3")  # noqa: S608
    _sql(f"UPDATE {SEALS} SET position = 3 WHERE position = 4")  # noqa: S608
    _sql(f"UPDATE {SEALS} SET position = 4 WHERE position = 1000")  # noqa: S608
    broken = verify_chain().broken
    assert broken.position == 3 and "previous link" in broken.reason_en


def test_a_cut_tail_is_detected_by_the_head_and_a_rewritten_head_by_the_anchor(walked):
    published = _export_head()
    last = EventSeal.objects.get(position=5)
    _sql(f"DELETE FROM {SEALS} WHERE position = 5")  # noqa: S608
    result = verify_chain()
    assert "head does not match" in result.broken.reason_en and result.unsealed == 1
    # The attacker also rewinds the head and deletes the event row: only the published anchor tells.
    for model in DossierEvent._meta.related_objects:
        if model.related_model is not EventSeal:
            _sql(f"DELETE FROM {model.related_model._meta.db_table} WHERE {model.field.column} = %s",  # noqa: S608
                 [last.event_id])
    _sql(f"DELETE FROM {EVENTS} WHERE id = %s", [last.event_id])  # noqa: S608
    _sql(f"UPDATE {HEAD} SET position = 4, hash = %s", [last.prev_hash])  # noqa: S608
    assert verify_chain().ok
    assert "cut" in verify_chain(anchor=published).broken.reason_en
    assert "cut" in _broken_command("--anchor", f"{published[0]}:{published[1]}")


def test_the_anchor_passes_on_an_untouched_chain_and_catches_a_full_rewrite(walked):
    published = _export_head()
    assert verify_chain(anchor=published).ok
    assert "intact" in _verify_command("--anchor", f"{published[0]}:{published[1]}")
    # Rewrite the whole chain consistently after editing the first event: internally valid, but not the anchor.
    _sql(f"UPDATE {EVENTS} SET note = %s WHERE id = (SELECT event_id FROM {SEALS} WHERE position = 1)",  # noqa: S608
         ["viết lại"])
    prev = GENESIS_HASH
    for seal in EventSeal.objects.order_by("position"):
        values = DossierEvent.objects.filter(pk=seal.event_id).values().get()
        digest = link_hash(values, seal.position, prev)
        EventSeal.objects.filter(pk=seal.pk).update(prev_hash=prev, hash=digest)
        prev = digest
    ChainHead.objects.update(hash=prev)
    assert verify_chain().ok
    broken = verify_chain(anchor=published).broken
    assert broken.position == 5 and "published" in broken.reason_en


def _export_head():
    out = io.StringIO()
    call_command("export_audit_head", stdout=out)
    position, digest = out.getvalue().strip().split(":")
    head = ChainHead.objects.get()
    assert (int(position), digest) == (head.position, head.hash)
    return int(position), digest


def test_unsealed_events_fail_verification_until_the_backlog_is_sealed(walked, demo_agencies):
    dossier = walked[0]
    DossierEvent.objects.bulk_create([
        DossierEvent(dossier=dossier, seq=100 + n, action="assign", from_status="processing", to_status="processing",
                     created_at=at(2026, 12, 2, 9, n)) for n in range(3)
    ])
    result = verify_chain()
    assert result.broken is None and result.unsealed == 3 and not result.ok
    assert "unsealed events" in _broken_command()
    out = io.StringIO()
    call_command("seal_audit_backlog", stdout=out)
    assert "3" in out.getvalue()
    assert seal_backlog() == 0
    result = verify_chain()
    assert result.ok and result.checked == 8


def test_export_head_as_json_before_any_event(db):
    import json

    out = io.StringIO()
    call_command("export_audit_head", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert (body["position"], body["hash"]) == (0, GENESIS_HASH)
    assert verify_chain().ok


def test_a_malformed_anchor_is_refused(db):
    with pytest.raises(CommandError, match="POSITION:HASH"):
        _verify_command("--anchor", "abc")
