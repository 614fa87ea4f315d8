"""The population database look-up: validation of the number, found / not found / unavailable, evidence (call
records, the kept answer and its digest), the access log, the simulator's faults, and the LGSP route."""

import datetime as dt
import hashlib
import json
import urllib.request

import pytest

from motcua.adapters import lgsp as lgsp_adapter
from motcua.adapters import population as adapter
from motcua.integrations import lgsp_tokens
from motcua.integrations import population as service
from motcua.integrations.models import CallRecord, RegistryAnswer
from motcua.integrations.tests.population_helpers import (
    DEMO_CITIZEN_ID,
    NOT_REGISTERED_ID,
    OTHER_CITIZEN_ID,
    dancu_settings,
)
from motcua.privacy.models import AccessKind, DataAccess
from simulators.lgsp import GatewayConfig, GatewaySimulator
from simulators.population import PEOPLE, PopulationSimulator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("forget_committed_call_records")]


def post_json(url, data):
    request = urllib.request.Request(url, data=json.dumps(data).encode(), method="POST",  # noqa: S310 - loopback
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 - the test's loopback simulator
        return json.loads(answer.read())


@pytest.mark.parametrize(("number", "code"), [
    ("", "format"), ("07509000123", "format"), ("0750900012345", "format"), ("07509000123a", "format"),
    ("999090001234", "province"), ("003090001234", "province"),  # 003 was never a province code
    ("075990001234", "century"),  # 9 = a woman born in the 2300s
])
def test_a_number_that_cannot_be_an_id_is_refused_before_any_call(number, code, population_registry, clerk):
    with pytest.raises(service.InvalidNationalId) as refused:
        service.lookup_person(number, actor=clerk)
    assert refused.value.code == code and refused.value.message_vi and refused.value.message_en
    assert not CallRecord.objects.filter(system="dancu").exists() and not RegistryAnswer.objects.exists()
    assert population_registry.state.snapshot()["lookups_total"] == 0


def test_the_number_tells_sex_century_and_province():
    facts = adapter.check_national_id("075195004321")
    assert (facts.province_code, facts.sex, facts.birth_year) == ("075", adapter.SEX_FEMALE, 1995)
    assert adapter.check_national_id("075226001111").birth_year == 2026
    assert adapter.check_national_id("075226001111").sex == adapter.SEX_MALE
    # Every province code of the 63-province map, and nothing else.
    from motcua.directory.units import read_fixture

    legacy = {"0" + row[0] for row in read_fixture()["legacy_provinces"]}
    assert legacy == set(adapter.PROVINCE_CODES)


def test_every_simulated_citizen_has_a_number_that_fits_them():
    for number, person in PEOPLE.items():
        facts = adapter.check_national_id(number)
        assert facts.sex == person.sex and person.date_of_birth is not None
        assert facts.birth_year == person.date_of_birth.year
        if person.household is not None:  # households list each other
            assert number in {m.national_id for m in person.household.members}
            head = PEOPLE[person.household.head_national_id]
            assert head.household is not None and head.household.code == person.household.code


def test_a_found_citizen_comes_back_with_evidence_and_the_read_is_logged(population_registry, clerk):
    result = service.lookup_person(DEMO_CITIZEN_ID, actor=clerk, purpose="Tiếp nhận hồ sơ", household=True)
    assert result.status == "found" and result.found and not result.unavailable
    person = result.person
    assert person is not None and person.full_name == "Nguyễn Văn An"
    assert person.date_of_birth == dt.date(1990, 3, 15) and person.sex == adapter.SEX_MALE
    assert person.permanent_residence.commune_code == "26041" and "Trấn Biên" in person.permanent_residence.full_text
    assert person.household is not None and person.household.relation_to_head == "Chủ hộ"
    assert {m.full_name for m in person.household.members} == {"Nguyễn Văn An", "Lê Thị Hồng", "Nguyễn Minh Khôi"}
    # Evidence: the kept answer's digest is the SHA-256 of the bytes the registry sent (the client's record of the
    # same attempt computed it independently), with the normalised data and who asked.
    answer = RegistryAnswer.objects.get(pk=result.answer_id)
    call = CallRecord.objects.get(system="dancu")
    assert call.operation == "TraCuuThongTinCongDan" and call.status_code == 200
    assert answer.response_sha256 == call.response_sha256 == result.digest and len(result.digest) == 64
    assert answer.response_size == call.response_size > 0
    assert answer.data["full_name"] == "Nguyễn Văn An" and answer.data["date_of_birth"] == "1990-03-15"
    assert (answer.actor, answer.source, answer.status) == (clerk, "dancu", "found")
    assert service.RegistryResult.from_answer(answer).person == person
    access = DataAccess.objects.get()
    assert (access.actor, access.kind, access.subject_national_id) == (clerk, AccessKind.POPULATION_LOOKUP,
                                                                         DEMO_CITIZEN_ID)
    assert access.purpose == "Tiếp nhận hồ sơ" and result.request_id in access.detail
    # The registry got the purpose, the official and the household flag.
    assert population_registry.state.snapshot()["lookups"][0]["purpose"] == "Tiếp nhận hồ sơ"


def test_without_the_household_question_no_household_is_given(population_registry):
    result = service.lookup_person(OTHER_CITIZEN_ID)
    assert result.person is not None and result.person.household is None
    assert result.person.current_residence != result.person.permanent_residence
    assert DataAccess.objects.get().actor is None  # the system asked


def test_a_number_not_registered_is_an_answer_too(population_registry, clerk):
    result = service.lookup_person(NOT_REGISTERED_ID, actor=clerk)
    assert result.status == "not_found" and result.person is None
    assert RegistryAnswer.objects.get().status == "not_found"
    assert DataAccess.objects.count() == 1


@pytest.mark.parametrize("faults", [
    {"down": True}, {"fail_next": 5}, {"malformed_next": 5}, {"error_next": 5}, {"wrong_person_next": 1},
    {"timeout": True},
])
def test_a_registry_that_does_not_answer_usefully_leaves_the_lookup_unavailable(
        faults, population_registry, clerk):
    population_registry.state.faults.update(faults)
    result = service.lookup_person(DEMO_CITIZEN_ID, actor=clerk)
    assert result.status == "unavailable" and result.person is None and result.error
    answer = RegistryAnswer.objects.get()
    assert answer.status == "unavailable" and answer.data == {} and answer.error == result.error
    assert CallRecord.objects.filter(system="dancu").exclude(error="").exists()
    assert not DataAccess.objects.exists()  # nothing was read


def test_a_transient_failure_is_retried_with_the_same_request(population_registry):
    population_registry.state.faults.update({"fail_next": 1})
    result = service.lookup_person(DEMO_CITIZEN_ID)
    assert result.found
    attempts = list(CallRecord.objects.filter(system="dancu").order_by("attempt"))
    assert [a.status_code for a in attempts] == [503, 200]
    assert attempts[0].request_sha256 == attempts[1].request_sha256  # the same MaYeuCau, sent again


def test_a_repeated_request_id_gets_the_same_answer(population_registry):
    body = adapter.build_lookup_request(adapter.LookupRequest(national_id=DEMO_CITIZEN_ID, request_id="r-1"))
    first = post_json(population_registry.url, body)
    again = post_json(population_registry.url, body)
    assert first == again and first["KetQua"]["TimThay"] == "True"
    assert population_registry.state.snapshot()["lookups"][0]["repeated"] is True


def test_the_simulator_refuses_malformed_requests_and_bad_faults(population_registry):
    bad = post_json(population_registry.url, {"service": "TraCuuThongTinCongDan", "MaYeuCau": "x",
                                              "SoDinhDanh": "12345"})
    assert bad["error_code"] == adapter.CODE_BAD_REQUEST and "12 chữ số" in bad["message"]
    assert post_json(population_registry.url, {"service": "Khac"})["error_code"] == adapter.CODE_BAD_REQUEST
    with pytest.raises(urllib.error.HTTPError) as refused:
        post_json(f"{population_registry.url}/_faults", {"fail_status": 200})
    assert refused.value.code == 400
    assert post_json(f"{population_registry.url}/_faults", {"error_next": 2})["error_next"] == 2
    page = urllib.request.urlopen(population_registry.url + "/", timeout=5).read().decode()  # noqa: S310
    assert "Cơ sở dữ liệu quốc gia về dân cư (mô phỏng)" in page and "Nguyễn Văn An" in page
    assert "error_next=2" in page


def test_not_configured_means_unavailable_without_a_call(settings):
    settings.MOTCUA_INTEGRATION_SYSTEMS = {}
    result = service.lookup_person(DEMO_CITIZEN_ID)
    assert result.unavailable and "not configured" in result.error
    assert not CallRecord.objects.exists() and RegistryAnswer.objects.get().status == "unavailable"


def test_the_answer_must_be_about_the_number_asked():
    person = PEOPLE[DEMO_CITIZEN_ID]
    body = adapter.encode(adapter.build_lookup_answer("r", person))
    with pytest.raises(adapter.PopulationMessageError):
        adapter.parse_lookup_answer(body, expected_national_id=OTHER_CITIZEN_ID)
    parsed = adapter.parse_lookup_answer(body, expected_national_id=DEMO_CITIZEN_ID)
    assert parsed.person is not None and parsed.person.full_name == person.full_name
    for broken in (b"", b"[]", b'{"error_code": "x"}', b'{"error_code": 0}', b'{"error_code": 0, "KetQua": {}}'):
        with pytest.raises(adapter.PopulationMessageError):
            adapter.parse_lookup_answer(broken, expected_national_id=DEMO_CITIZEN_ID)
    with pytest.raises(adapter.ServiceError):
        adapter.parse_lookup_answer(b'{"error_code": "99", "message": "busy"}', expected_national_id=DEMO_CITIZEN_ID)


def test_the_lookup_goes_through_the_lgsp_gateway(settings, monkeypatch):
    with PopulationSimulator() as registry, GatewaySimulator(GatewayConfig(
            routes={"dancu": registry.url}, token_style=lgsp_adapter.STYLE_CLIENT_CREDENTIALS)) as gateway:
        settings.MOTCUA_INTEGRATION_SYSTEMS = {"dancu": {**dancu_settings(""), "base_url": "", "via_lgsp": True,
                                                         "lgsp_path": "dancu"}}
        settings.MOTCUA_LGSP_URL = gateway.url
        settings.MOTCUA_LGSP_TOKEN_STYLE = lgsp_adapter.STYLE_CLIENT_CREDENTIALS
        settings.MOTCUA_LGSP_CLIENT_ID = gateway.config.client_id
        monkeypatch.setenv("MOTCUA_LGSP_CLIENT_SECRET", gateway.config.client_secret)
        monkeypatch.setenv("MOTCUA_LGSP_ACCESS_TOKEN", gateway.config.access_key)
        lgsp_tokens.forget_all()
        try:
            result = service.lookup_person(OTHER_CITIZEN_ID)
            gateway.state.faults.update({"down": True})
            down = service.lookup_person(OTHER_CITIZEN_ID)
        finally:
            lgsp_tokens.forget_all()
        calls = gateway.state.snapshot()["calls"]
    assert result.found and result.person is not None and result.person.full_name == "Trần Thị Bình"
    assert {c["route"] for c in calls} == {"dancu"}
    assert down.unavailable
    assert hashlib.sha256(b"").hexdigest() != result.digest
