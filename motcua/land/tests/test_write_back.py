"""After approval the change (biến động) is written back to the land database through an outbox row sent by the job
queue, idempotent by its request id: retried after a fault and applied once; its reference kept on the dossier."""

import datetime as dt
import json
import urllib.request

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from motcua.land import actions
from motcua.land.models import LandWriteBack
from motcua.land.queue import LandWriteBackQueue
from motcua.land.tests.helpers import (
    AN_ID,
    BINH_ID,
    approve_info_change,
    approve_transfer,
    counter_dossier,
    info_form,
    transfer_form,
)

pytestmark = pytest.mark.django_db


def faults(sim, **changes):
    request = urllib.request.Request(  # noqa: S310 - the test's own simulator
        f"{sim.url}/_faults", data=json.dumps(changes).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 - the test's own simulator
        return json.loads(answer.read())


def must(row: LandWriteBack | None) -> LandWriteBack:
    assert row is not None
    return row


def parcel_345(sim):
    return next(p for p in sim.state.snapshot()["parcels"] if p["number"] == "345")


def test_an_approved_transfer_writes_the_new_holder_back(land_sim, demo_catalog, demo_agencies, clerk, specialist,
                                                         leader, tax_specialist, treasury_specialist, client):
    dossier = counter_dossier(demo_catalog, demo_agencies, clerk, code="1.013831", form=transfer_form())
    dossier = approve_transfer(dossier, clerk, specialist, leader, tax_specialist, treasury_specialist)
    row = LandWriteBack.objects.get(dossier=dossier)
    assert (row.state, row.kind, row.payload["ChuSuDungMoi"][0]["SoDinhDanh"]) == ("pending", "chuyen_nhuong", AN_ID)
    assert parcel_345(land_sim)["holders"][0]["id_number"] == BINH_ID  # nothing sent inside the approval
    row = must(actions.send_write_back(row.pk))
    assert row.state == LandWriteBack.State.SENT and row.reference.startswith("BD-26041-")
    holders = parcel_345(land_sim)["holders"]
    assert [(h["name"], h["id_number"]) for h in holders] == [("Nguyễn Văn An", AN_ID)]
    assert parcel_345(land_sim)["changes"] == [row.reference]
    client.force_login(clerk)
    page = client.get(reverse("backoffice:dossier", kwargs={"code": dossier.code})).content.decode()
    assert row.reference in page


def test_a_lost_answer_is_retried_later_and_applied_once(land_sim, demo_catalog, demo_agencies, clerk, specialist,
                                                         leader, settings):
    settings.MOTCUA_INTEGRATION_SYSTEMS["dat_dai"]["max_attempts"] = 1  # the outbox retries, not the client
    dossier = approve_info_change(counter_dossier(demo_catalog, demo_agencies, clerk), clerk, specialist, leader)
    row = LandWriteBack.objects.get(dossier=dossier)
    faults(land_sim, lost_answer_next=1)
    row = must(actions.send_write_back(row.pk))
    assert (row.state, row.attempts, row.reference) == ("pending", 1, "")
    assert row.next_attempt_at is not None and row.next_attempt_at > timezone.now() and "503" in row.last_error
    assert actions.send_write_back(row.pk) is None  # not due yet
    later = timezone.now() + dt.timedelta(hours=2)
    row = must(actions.send_write_back(row.pk, now=later))
    assert (row.state, row.attempts) == ("sent", 2)
    [applied] = land_sim.state.snapshot()["write_backs"].values()
    assert (applied["reference"], applied["repeats"], applied["request_id"]) == (row.reference, 1, row.request_id)
    assert parcel_345(land_sim)["holders"][0]["address"] == "Số 9, phường Trấn Biên"
    assert parcel_345(land_sim)["changes"] == [row.reference]  # applied once
    assert actions.send_write_back(row.pk, now=later) is None  # sent rows are never sent again


def test_down_until_the_last_attempt_becomes_a_dead_item_then_retried(land_sim, demo_catalog, demo_agencies, clerk,
                                                                     specialist, leader, settings, province_admin):
    settings.MOTCUA_LAND_WRITE_BACK_MAX_ATTEMPTS = 2
    dossier = approve_info_change(counter_dossier(demo_catalog, demo_agencies, clerk), clerk, specialist, leader)
    faults(land_sim, down=True)
    far = timezone.now() + dt.timedelta(days=1)
    assert actions.drain_write_backs()["retrying"] == 1
    assert actions.drain_write_backs(now=far)["failed"] == 1
    row = LandWriteBack.objects.get(dossier=dossier)
    queue = LandWriteBackQueue()
    assert row.state == "failed" and queue.count_dead() == 1 and queue.dead_items()[0].label == dossier.code
    faults(land_sim, down=False)
    queue.retry(str(row.pk))
    assert queue.count_pending() == 1
    call_command("send_land_write_backs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    row.refresh_from_db()
    assert row.state == "sent" and len(land_sim.state.snapshot()["write_backs"]) == 1


def test_approved_again_after_a_send_back_writes_once(land_sim, demo_catalog, demo_agencies, clerk, specialist,
                                                      leader):
    from motcua.dossiers import actions as dossier_actions

    dossier = approve_info_change(counter_dossier(demo_catalog, demo_agencies, clerk), clerk, specialist, leader)
    assert dossier.current_step["key"] == "chinh_ly"  # approved: the land office updates the register next
    dossier = dossier_actions.send_back(dossier, actor=specialist, note="Ký lại")
    dossier = dossier_actions.approve_dossier(dossier, actor=leader)
    assert dossier.events.filter(action="approve").count() == 2
    assert LandWriteBack.objects.filter(dossier=dossier).count() == 1


def test_a_change_the_form_cannot_describe_is_for_the_land_office_to_enter(demo_catalog, demo_agencies, clerk,
                                                                          specialist, leader):
    form = info_form(serial="0001234")  # not a serial; sheet and parcel number, but which commune?
    dossier = approve_info_change(counter_dossier(demo_catalog, demo_agencies, clerk, form=form), clerk, specialist,
                                  leader)
    row = LandWriteBack.objects.get(dossier=dossier)
    assert row.state == "failed" and not row.payload
    with pytest.raises(actions.LandError):
        actions.record_manual_write_back(row, actor=specialist, reference="  ")
    row = actions.record_manual_write_back(row, actor=specialist, reference="BD-TAY-0001", note="Nhập tay")
    assert (row.state, row.reference, row.handled_by) == ("manual", "BD-TAY-0001", specialist)
    with pytest.raises(actions.LandError):
        actions.record_manual_write_back(row, actor=specialist, reference="BD-TAY-0002")


def test_the_simulator_answers_a_repeat_with_the_same_reference(land_sim):
    from motcua.adapters import land_registry as adapter
    from motcua.integrations import land_registry as service

    change = adapter.ChangeRequest(
        request_id="req-1", dossier_code="X-1", procedure_code="1.013833", kind=adapter.CHANGE_HOLDER_INFO,
        key=adapter.ParcelKey(certificate_serial="DN 012346"), approved_at="20261204090000", agency_code="A",
        holder_id_number=AN_ID, changed_field="ho_ten", new_value="Nguyễn Văn Ân")
    first, second = service.send_change(change), service.send_change(change)
    assert first.reference == second.reference and (first.already, second.already) == (False, True)
    parcel = next(p for p in land_sim.state.snapshot()["parcels"] if p["number"] == "346")
    assert parcel["holders"][0]["name"] == "Nguyễn Văn Ân" and parcel["changes"] == [first.reference]
