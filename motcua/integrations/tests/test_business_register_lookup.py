"""Looking an enterprise up in the national business register (through the integration layer): the answer kept as
evidence with its digest, every attempt in the call records, a staff read in the access log; invalid codes refused
before any call; the faults (5xx retried, down, time-out, malformed, duplicates, refusal) give a clear error."""

import hashlib

import pytest
from django.test import override_settings

from motcua.integrations import business_register as service
from motcua.integrations.models import BusinessRegisterAnswer, CallRecord
from motcua.integrations.tests.business_register_helpers import business_register, register_system  # noqa: F401
from motcua.privacy.models import DataAccess

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")


def faults(sim, **changes):
    sim.state.faults.update(changes)


def test_a_clerk_looks_an_enterprise_up(business_register, clerk):  # noqa: F811
    lookup = service.look_up("360 123 4569", actor=clerk, purpose="Tiếp nhận hồ sơ")
    record = lookup.record
    assert record is not None and record.name == "CÔNG TY TNHH THƯƠNG MẠI DỊCH VỤ AN PHÁT"
    assert record.status == "active" and [p.national_id for p in record.representatives] == ["075090001234"]
    answer = BusinessRegisterAnswer.objects.get()
    assert answer == lookup.answer
    assert (answer.code, answer.found, answer.status, answer.asked_by) == ("3601234569", True, "active", clerk)
    assert answer.representatives[0]["name"] == "Nguyễn Văn An" and answer.purpose == "Tiếp nhận hồ sơ"
    seen = business_register.state.snapshot()["lookups"][-1]
    assert seen["request_id"] == answer.request_id and seen["purpose"] == "Tiếp nhận hồ sơ"
    call = CallRecord.objects.get(system="dkkd")
    assert call.operation == "TraCuuThongTinDoanhNghiep" and call.status_code == 200 and not call.error
    assert call.response_sha256 == answer.response_sha256 and len(answer.response_sha256) == 64
    access = DataAccess.objects.get()
    assert (access.actor, access.kind, access.subject_national_id) == (clerk, "business_lookup", "075090001234")
    assert access.purpose == "Tiếp nhận hồ sơ"


def test_the_digest_is_of_the_answer_received(business_register, clerk):  # noqa: F811
    import httpx

    body = {"service": "TraCuuThongTinDoanhNghiep", "MaSoDoanhNghiep": "3602345670", "MaYeuCau": "x"}
    raw = httpx.post(f"{business_register.url}/", json=body).content
    answer = service.look_up("3602345670", actor=clerk, purpose="p").answer
    assert answer.response_sha256 == hashlib.sha256(raw).hexdigest()
    assert DataAccess.objects.count() == 2  # two legal representatives read


def test_not_found_is_kept_and_a_citizen_s_own_look_up_is_no_staff_read(business_register, citizen):  # noqa: F811
    lookup = service.look_up("0100109106", actor=citizen, purpose="p")
    assert lookup.record is None and not lookup.answer.found and lookup.answer.record == {}
    assert service.look_up("3601234569", actor=citizen, purpose="p").record is not None
    assert not DataAccess.objects.exists()


@pytest.mark.parametrize("code", ["", "123", "0100109107", "3601234569-00"])
def test_an_invalid_code_is_refused_before_any_call(business_register, clerk, code):  # noqa: F811
    with pytest.raises(service.BusinessRegisterError) as refused:
        service.look_up(code, actor=clerk, purpose="p")
    assert refused.value.kind == "invalid" and "Mã số thuế không hợp lệ" in refused.value.message_vi
    assert not CallRecord.objects.exists() and business_register.state.snapshot()["lookups"] == []


@override_settings(MOTCUA_INTEGRATION_SYSTEMS={})
def test_not_connected(clerk):
    with pytest.raises(service.BusinessRegisterError) as refused:
        service.look_up("3601234569", actor=clerk, purpose="p")
    assert refused.value.kind == "not_configured" and not CallRecord.objects.exists()


def test_a_5xx_is_retried(business_register, clerk):  # noqa: F811
    faults(business_register, fail_next=1)
    assert service.look_up("3601234569", actor=clerk, purpose="p").record is not None
    assert list(CallRecord.objects.order_by("attempt").values_list("attempt", "status_code")) == [(1, 503), (2, 200)]


@pytest.mark.parametrize("fault", [{"fail_next": 5}, {"down": True}, {"malformed_next": 1}, {"delay_ms": 2500}])
def test_the_register_down_or_broken_gives_a_clear_error_and_no_answer(business_register, clerk, fault):  # noqa: F811
    faults(business_register, **fault)
    with pytest.raises(service.BusinessRegisterError) as failed:
        service.look_up("3601234569", actor=clerk, purpose="p")
    assert failed.value.kind == "unavailable"
    assert "Chưa tra cứu được CSDL quốc gia về đăng ký doanh nghiệp" in failed.value.message_vi
    assert not BusinessRegisterAnswer.objects.exists() and not DataAccess.objects.exists()
    assert CallRecord.objects.filter(system="dkkd").exclude(error="").exists()


def test_a_duplicated_record_is_one_answer(business_register, clerk):  # noqa: F811
    faults(business_register, duplicate_next=1)
    assert service.look_up("3601234569", actor=clerk, purpose="p").record is not None
    assert BusinessRegisterAnswer.objects.count() == 1 and DataAccess.objects.count() == 1


def test_a_wrong_path_is_a_4xx_not_retried(business_register, clerk, settings):  # noqa: F811
    settings.MOTCUA_INTEGRATION_SYSTEMS = register_system(business_register.url + "/nothing-here")
    with pytest.raises(service.BusinessRegisterError) as failed:
        service.look_up("3601234569", actor=clerk, purpose="p")
    assert failed.value.kind == "unavailable"
    assert CallRecord.objects.get().status_code == 404  # a 4xx: not retried


def test_a_refusal_envelope_is_unavailable_and_not_retried(business_register, clerk):  # noqa: F811
    import httpx

    calls = []

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json={"error_code": -1, "message": "Vượt hạn mức tra cứu", "result": []})

    with pytest.raises(service.BusinessRegisterError) as failed:
        service.look_up("3601234569", actor=clerk, purpose="p", transport=httpx.MockTransport(refuse))
    assert failed.value.kind == "unavailable" and "Vượt hạn mức tra cứu" in failed.value.__notes__[0]
    assert len(calls) == 1 and CallRecord.objects.get().error == ""  # a well-formed answer, not a broken body
