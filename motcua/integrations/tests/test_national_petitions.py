"""Petitions from the national petitions system (PAKN) through the simulator: pull → petition → answer → pushed;
duplicates; malformed bodies; the system down then back; an unknown agency code (docs/integrations.md)."""

from __future__ import annotations

import io
import json
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from motcua.adapters import national_petitions as pakn
from motcua.feedback import actions, national_petitions
from motcua.feedback.models import Channel, Classification, Feedback, NationalPetition, Status
from motcua.feedback.tests.factories import at
from motcua.integrations.models import CallRecord
from simulators.national_petitions import PetitionsSimulator, SimulatorConfig

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")

LAND_OFFICE = "000.01.16.H19"


def wire(national_id: str, agency: str = LAND_OFFICE, **extra: object) -> dict[str, object]:
    return {"MAPAKN": national_id, "MADONVI": agency, "TENDONVI": "Văn phòng Đăng ký đất đai",
            "TIEUDE": "Chậm cấp sổ đỏ", "NOIDUNG": "Hồ sơ đăng ký đất đai của tôi quá hạn 10 ngày.",
            "HOVATEN": "Trần Văn Bảo", "SODIENTHOAI": "0912345678", "THUDIENTU": "", "DIACHI": "Long Thành",
            "NGAYGUI": "20/04/2026 09:30:00", "DONGYCONGKHAI": 1, **extra}


def control(sim: PetitionsSimulator, path: str, body: object) -> None:
    request = urllib.request.Request(sim.url + path, data=json.dumps(body).encode(), method="POST",  # noqa: S310
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=5).read()  # noqa: S310 - the local simulator


@pytest.fixture
def petitions_system(settings) -> Iterator[PetitionsSimulator]:
    with PetitionsSimulator(SimulatorConfig(seed=1, fixtures=False)) as sim:
        settings.MOTCUA_INTEGRATION_SYSTEMS = {
            **settings.MOTCUA_INTEGRATION_SYSTEMS,
            national_petitions.SYSTEM: {"base_url": sim.url, "connect_timeout": 0.5, "read_timeout": 1.0,
                                        "max_attempts": 2, "backoff_base": 0, "backoff_max": 0}}
        yield sim


def sim_petition(sim: PetitionsSimulator, national_id: str) -> Any:
    return sim.state.snapshot()["petitions"][national_id]


def test_pull_creates_answer_is_pushed_with_the_publish_flag(petitions_system, demo_agencies, specialist, leader,
                                                             django_capture_on_commit_callbacks, client):
    control(petitions_system, "/_petitions", wire("PAKN-1"))
    report = national_petitions.pull(now=at(2026, 4, 22, 9))
    assert (report.pulled, report.created, report.held, report.acknowledged, report.error) == (1, 1, 0, 1, "")
    record = NationalPetition.objects.get(national_id="PAKN-1")
    feedback = record.feedback
    assert feedback is not None and feedback.channel == Channel.NATIONAL_PORTAL
    assert Channel.NATIONAL_PORTAL.value == "national_portal"
    assert feedback.get_channel_display() == "Cổng Dịch vụ công quốc gia"  # Vietnamese first
    with translation.override("en"):
        assert feedback.get_channel_display() == "National portal"
    assert feedback.agency == demo_agencies["land_office"] and feedback.status == Status.RECEIVED
    assert feedback.petitioner_name == "Trần Văn Bảo" and feedback.consent_to_publish is True
    assert feedback.code.startswith(f"PA-{demo_agencies['land_office'].eid_code}-260422-")
    assert record.acknowledged_at is not None and sim_petition(petitions_system, "PAKN-1")["acknowledged"]
    assert set(CallRecord.objects.filter(system="national_petitions").values_list("operation", flat=True)) == {
        pakn.SERVICE_PULL, pakn.SERVICE_ACK}

    client.force_login(leader)  # the staff page says where it came from
    page = client.get(f"/mot-cua/phan-anh/{feedback.code}/").content.decode()
    assert "Mã phản ánh trên hệ thống quốc gia" in page and "PAKN-1" in page and "Cổng Dịch vụ công quốc gia" in page
    feedback = actions.assign_feedback(feedback, actor=leader, classification=Classification.PHAN_ANH,
                                       assignee=specialist, at=at(2026, 4, 23, 8))
    feedback = actions.draft_reply(feedback, actor=specialist, reply="Ông Trần Văn Bảo: sổ đã ký ngày 05/05.",
                                   at=at(2026, 5, 5, 9))
    feedback = actions.approve_reply(feedback, actor=leader, at=at(2026, 5, 5, 10))
    from django_tasks_db.models import DBTaskResult

    pushes = DBTaskResult.objects.filter(task_path__endswith="push_petition_answer_task")
    with django_capture_on_commit_callbacks(execute=True):
        feedback = actions.answer_feedback(feedback, actor=specialist, at=at(2026, 5, 5, 11))
    assert pushes.count() == 1  # the push job is queued after commit
    record.refresh_from_db()
    assert record.answer_state == NationalPetition.AnswerState.PENDING
    assert national_petitions.push_answer(record.pk) == "sent"
    record.refresh_from_db()
    assert record.answer_state == NationalPetition.AnswerState.SENT and record.answer_sent_at is not None
    answers = sim_petition(petitions_system, "PAKN-1")["answers"]
    assert answers == [{"NOIDUNGTRALOI": "Ông Trần Văn Bảo: sổ đã ký ngày 05/05.", "NGUOITRALOI":
                        demo_agencies["land_office"].name, "NGAYTRALOI": "05/05/2026", "CONGKHAI": 0}]
    assert national_petitions.push_answer(record.pk) == "nothing"  # sent once: not again

    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_feedback(feedback, actor=leader, at=at(2026, 5, 6, 9))
    assert national_petitions.drain_answers(now=at(2026, 5, 6, 10)) == 1
    published = sim_petition(petitions_system, "PAKN-1")["answers"][-1]
    assert published["CONGKHAI"] == 1 and "Trần Văn Bảo" not in published["NOIDUNGTRALOI"]  # masked when public
    assert CallRecord.objects.filter(system="national_petitions", operation=pakn.SERVICE_ANSWER,
                                     error="").count() == 2


def test_duplicates_in_one_answer_and_pulled_twice_make_one_petition(petitions_system, demo_agencies):
    control(petitions_system, "/_petitions", wire("PAKN-2"))
    control(petitions_system, "/_faults", {"duplicate_next": 1})
    first = national_petitions.pull()
    assert (first.pulled, first.created) == (1, 1)  # the same MAPAKN twice in the answer is one item
    # The national system sends it again (as if our acknowledgement was lost): still one petition.
    petitions_system.state.petitions["PAKN-2"].acknowledged = False
    second = national_petitions.pull()
    assert (second.created, second.duplicates, second.acknowledged) == (0, 1, 0)
    assert Feedback.objects.filter(channel=Channel.NATIONAL_PORTAL).count() == 1
    assert NationalPetition.objects.count() == 1


def test_a_malformed_body_is_rejected_and_nothing_is_lost(petitions_system, demo_agencies):
    control(petitions_system, "/_petitions", wire("PAKN-3"))
    control(petitions_system, "/_faults", {"malformed_next": 1})
    report = national_petitions.pull()
    assert report.error.startswith("national_petitions LayDanhSachPAKN: malformed response")
    assert NationalPetition.objects.count() == 0 and not sim_petition(petitions_system, "PAKN-3")["acknowledged"]
    assert CallRecord.objects.filter(system="national_petitions", error__startswith="malformed").count() == 1
    again = national_petitions.pull()
    assert (again.created, again.acknowledged, again.error) == (1, 1, "")


def test_a_malformed_item_is_held_with_its_reason_and_the_others_go_through(petitions_system, demo_agencies):
    control(petitions_system, "/_petitions", wire("PAKN-4", NOIDUNG=""))
    control(petitions_system, "/_petitions", wire("PAKN-5", NGAYGUI="hôm qua"))
    control(petitions_system, "/_petitions", wire("PAKN-6"))
    report = national_petitions.pull()
    assert (report.created, report.held, report.acknowledged) == (1, 2, 3)
    held = NationalPetition.objects.get(national_id="PAKN-4")
    assert held.state == NationalPetition.State.HELD and held.feedback is None
    assert held.reason == "Dữ liệu không đọc được: NOIDUNG is missing" and held.payload["MAPAKN"] == "PAKN-4"
    assert "NGAYGUI" in NationalPetition.objects.get(national_id="PAKN-5").reason


@pytest.mark.parametrize("fault", [{"down": True}, {"fail_next": 5}, {"timeout": True}])
def test_the_system_down_then_back(petitions_system, demo_agencies, fault):
    control(petitions_system, "/_petitions", wire("PAKN-7"))
    petitions_system.state.faults.update(fault)
    report = national_petitions.pull()
    assert report.error and report.created == 0 and NationalPetition.objects.count() == 0
    assert CallRecord.objects.filter(system="national_petitions", operation=pakn.SERVICE_PULL).count() == 2
    petitions_system.state.faults.update({"down": False, "fail_next": 0, "timeout": False})
    report = national_petitions.pull()
    assert (report.created, report.acknowledged, report.error) == (1, 1, "")


def test_an_acknowledgement_that_failed_is_sent_by_the_next_pull(petitions_system, demo_agencies):
    control(petitions_system, "/_petitions", wire("PAKN-8"))
    original = petitions_system.state.answer

    def refuse_acks(body: bytes, duplicate: bool) -> dict[str, Any]:
        if pakn.SERVICE_ACK.encode() in body:
            return pakn.build_result(-1, "Bảo trì")
        result: dict[str, Any] = original(body, duplicate)
        return result

    petitions_system.state.answer = refuse_acks
    report = national_petitions.pull()
    assert (report.created, report.acknowledged) == (1, 0)
    assert NationalPetition.objects.get(national_id="PAKN-8").acknowledged_at is None
    petitions_system.state.answer = original
    report = national_petitions.pull()
    assert (report.created, report.duplicates, report.acknowledged) == (0, 1, 1)
    assert Feedback.objects.filter(channel=Channel.NATIONAL_PORTAL).count() == 1


def test_an_answer_push_failing_is_retried_later(petitions_system, demo_agencies, specialist, leader):
    control(petitions_system, "/_petitions", wire("PAKN-9"))
    national_petitions.pull()
    record = NationalPetition.objects.get(national_id="PAKN-9")
    assert record.feedback is not None
    feedback = actions.assign_feedback(record.feedback, actor=leader, classification=Classification.PHAN_ANH,
                                       assignee=specialist)
    feedback = actions.draft_reply(feedback, actor=specialist, reply="Đã giải quyết.")
    feedback = actions.approve_reply(feedback, actor=leader)
    actions.answer_feedback(feedback, actor=specialist)
    petitions_system.state.faults.update({"fail_next": 2})
    assert national_petitions.push_answer(record.pk) == "retry"
    record.refresh_from_db()
    assert record.answer_state == NationalPetition.AnswerState.PENDING and record.answer_attempts == 1
    assert record.answer_error.startswith("national_petitions DongBoKetQuaPAKN: HTTP 503")
    from django_tasks_db.models import DBTaskResult

    assert record.answer_next_at is not None
    assert DBTaskResult.objects.filter(task_path__endswith="push_petition_answer_task",
                                       run_after=record.answer_next_at).exists()  # the job queued itself again
    assert national_petitions.drain_answers(now=record.answer_next_at) == 1
    assert sim_petition(petitions_system, "PAKN-9")["answers"][0]["NOIDUNGTRALOI"] == "Đã giải quyết."


def test_an_unknown_agency_is_held_for_the_province_admin(petitions_system, demo_agencies):
    control(petitions_system, "/_petitions", wire("PAKN-10", agency="999.99.99.X99"))
    report = national_petitions.pull()
    assert (report.created, report.held, report.acknowledged) == (0, 1, 1)
    record = NationalPetition.objects.get(national_id="PAKN-10")
    assert record.state == NationalPetition.State.HELD and record.feedback is None
    assert "MADONVI" in record.reason and "999.99.99.X99" in record.reason
    assert record.payload["NOIDUNG"] == wire("x")["NOIDUNG"]  # nothing lost
    # The province admin sets the competent agency's code and creates it again.
    record.agency_code = LAND_OFFICE
    record.save()
    assert national_petitions.release_held(record) is True
    record.refresh_from_db()
    assert record.feedback is not None
    assert record.state == NationalPetition.State.CREATED and record.feedback.agency == demo_agencies["land_office"]
    assert national_petitions.release_held(record) is True  # again: nothing more
    assert Feedback.objects.filter(channel=Channel.NATIONAL_PORTAL).count() == 1


def test_not_configured_pulls_nothing(settings, db):
    settings.MOTCUA_INTEGRATION_SYSTEMS = {}
    assert national_petitions.pull().error == "not configured"
    assert national_petitions.ensure_polling() is False


def test_the_pull_chain_follows_the_setting(petitions_system, settings, db):
    from django_tasks_db.models import DBTaskResult

    settings.MOTCUA_PETITIONS_POLL_SECONDS = 0
    assert national_petitions.ensure_polling() is False
    settings.MOTCUA_PETITIONS_POLL_SECONDS = 60
    assert national_petitions.ensure_polling() is True
    assert national_petitions.ensure_polling() is False  # one chain
    jobs = DBTaskResult.objects.filter(task_path__endswith="pull_national_petitions_task")
    assert jobs.count() == 1
    token = jobs.get().args_kwargs["args"][0]
    assert national_petitions.continue_polling(str(uuid.uuid4())) is False
    assert national_petitions.continue_polling(token) is True and jobs.count() == 2


def test_the_command_and_the_admins_create_again(petitions_system, demo_agencies, admin_client):
    from django.core.management import CommandError, call_command

    control(petitions_system, "/_petitions", wire("PAKN-11", agency="999.99.99.X99"))
    out = io.StringIO()
    call_command("pull_national_petitions", stdout=out)
    assert "created 0, held 1" in out.getvalue()
    record = NationalPetition.objects.get(national_id="PAKN-11")
    page = admin_client.get("/quan-tri/feedback/nationalpetition/?state__exact=held")
    assert page.status_code == 200 and "PAKN-11" in page.content.decode()
    NationalPetition.objects.filter(pk=record.pk).update(agency_code=LAND_OFFICE)
    done = admin_client.post("/quan-tri/feedback/nationalpetition/", {
        "action": "create_again", "_selected_action": [record.pk]}, follow=True)
    assert done.status_code == 200
    record.refresh_from_db()
    assert record.state == NationalPetition.State.CREATED and record.feedback is not None
    petitions_system.state.faults.update({"down": True})
    with pytest.raises(CommandError):
        call_command("pull_national_petitions", stdout=io.StringIO())


def test_jobs_queued_under_the_old_path_run_after_the_move(petitions_system, settings, db):
    """Migration feedback 0004: a pull chain link and an answer push queued before the PAKN intake moved from
    `integrations` to `feedback` point at the moved tasks afterwards (and back on a rollback)."""
    import importlib

    from django.apps import apps
    from django.utils.module_loading import import_string
    from django_tasks.base import Task
    from django_tasks_db.models import DBTaskResult

    from motcua.feedback import tasks

    moved = importlib.import_module("motcua.feedback.migrations.0004_petition_jobs_moved")
    tasks.pull_national_petitions_task.enqueue("token")
    tasks.push_petition_answer_task.enqueue(1)
    for row in DBTaskResult.objects.all():  # as an older release queued them
        row.task_path = row.task_path.replace("motcua.feedback.tasks.", "motcua.integrations.tasks.")
        row.save(update_fields=["task_path"])
    paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == set(moved.MOVED)
    moved.forward(apps, None)
    rows = list(DBTaskResult.objects.all())
    assert {row.task_path for row in rows} == set(moved.MOVED.values())
    assert all(isinstance(import_string(row.task_path), Task) for row in rows)
    moved.backward(apps, None)
    assert set(DBTaskResult.objects.values_list("task_path", flat=True)) == set(moved.MOVED)
