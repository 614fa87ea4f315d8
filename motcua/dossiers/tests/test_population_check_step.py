"""The catalog step "Kiểm tra, đối chiếu thông tin với CSDL quốc gia về dân cư" (`"automatic": "population_check"`):
completed by the engine, as the system and with the registry's evidence, when the registry found the applicant;
left for the specialist when it did not answer (the step "reappears"), or when the name typed differs."""

import pytest

from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant
from motcua.dossiers.models import Channel, Status
from motcua.dossiers.tests.helpers import at
from motcua.dossiers.workflow import legal_actions, may_take
from motcua.integrations import population
from motcua.integrations.tests.population_helpers import NOT_REGISTERED_ID, OTHER_CITIZEN_ID

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")

FORM = {
    "nguoi_su_dung_dat": {"ho_ten": "Trần Thị Bình", "so_dinh_danh": OTHER_CITIZEN_ID},
    "thua_dat": {"so_thua": "12", "to_ban_do": "3", "so_phat_hanh_gcn": "DA 654321"},
    "noi_dung_thay_doi": "dia_chi", "thong_tin_moi": "Số 8 đường Phạm Văn Thuận, phường Trấn Biên",
}


def change_of_details(catalog, agencies, clerk, *, name="Trần Thị Bình", id_number=OTHER_CITIZEN_ID, answer=None):
    """A 1.013833 dossier received at the counter, with the clerk's registry look-up (if any) attached."""
    dossier = actions.submit_dossier(
        procedure=catalog["1.013833"], channel=Channel.COUNTER, applicant=Applicant(name=name, id_number=id_number),
        competent_agency=agencies["land_office"], receiving_agency=agencies["service_center"], actor=clerk,
        form_data=FORM, paper_documents=["don_dang_ky_bien_dong", "giay_chung_nhan"], at=at(2026, 12, 2, 9))
    if answer is not None:
        population.attach_to_dossier(dossier, answer, actor=clerk)
    return dossier


def test_the_demo_catalog_marks_the_check_step_automatic(demo_catalog):
    steps = demo_catalog["1.013833"].current_version.steps
    assert [s.get("automatic") for s in steps] == [None, "population_check", None, None, None]


def test_a_verified_applicant_skips_the_manual_check(demo_catalog, demo_agencies, clerk, specialist, leader,
                                                     population_registry):
    answer = population.lookup_person(OTHER_CITIZEN_ID, actor=clerk)
    dossier = change_of_details(demo_catalog, demo_agencies, clerk, answer=answer)
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 12, 2, 10))
    # The engine completed "tham_tra" by itself: the dossier waits for the leader.
    assert dossier.current_step["key"] == "phe_duyet" and dossier.current_role == "leader"
    assert dossier.status == Status.PROCESSING
    auto = dossier.events.get(action="auto_complete")
    assert auto.actor is None and auto.from_step == 1 and auto.to_step == 2
    assert auto.data["completed_step"] == "tham_tra" and auto.data["automatic"] == "population_check"
    assert auto.data["registry_sha256"] == answer.digest and auto.data["registry_answer"] == answer.answer_id
    assert "CSDL quốc gia về dân cư" in auto.note and answer.digest[:16] in auto.note
    assert [e.action for e in dossier.events.order_by("seq")] == ["receive", "forward", "auto_complete"]
    assert "approve" in legal_actions(dossier) and may_take(dossier, "approve", leader)


@pytest.mark.parametrize("fault", ["down", "not_looked_up", "not_found", "other_name"])
def test_without_a_matching_answer_the_step_stays_for_the_specialist(fault, demo_catalog, demo_agencies, clerk,
                                                                      specialist, population_registry):
    kwargs: dict[str, object] = {}
    if fault == "down":
        population_registry.state.faults.update({"down": True})
        kwargs["answer"] = population.lookup_person(OTHER_CITIZEN_ID, actor=clerk)
    elif fault == "not_found":
        kwargs.update(id_number=NOT_REGISTERED_ID, answer=population.lookup_person(NOT_REGISTERED_ID, actor=clerk))
    elif fault == "other_name":
        kwargs.update(name="Trần Thị Bính", answer=population.lookup_person(OTHER_CITIZEN_ID, actor=clerk))
    dossier = change_of_details(demo_catalog, demo_agencies, clerk, **kwargs)
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 12, 2, 10))
    assert dossier.current_step["key"] == "tham_tra" and dossier.current_role == "specialist"
    assert not dossier.events.filter(action="auto_complete").exists()
    # The specialist does the check by hand, as before; nobody may take the system's action.
    assert "auto_complete" in legal_actions(dossier) and not may_take(dossier, "auto_complete", specialist)
    assert may_take(dossier, "forward", specialist)
    if fault == "down":
        # The registry is back and the specialist looks the applicant up from the dossier: the step completes.
        population_registry.state.faults.update({"down": False})
        population.lookup_person(OTHER_CITIZEN_ID, dossier=dossier, actor=specialist)
        from motcua.dossiers.workflow import complete_automatic_step

        moved = complete_automatic_step(dossier)
        assert moved is not None and moved.current_step["key"] == "phe_duyet"


def test_sending_back_to_the_check_step_keeps_it_for_the_specialist(demo_catalog, demo_agencies, clerk, leader,
                                                                     population_registry):
    answer = population.lookup_person(OTHER_CITIZEN_ID, actor=clerk)
    dossier = change_of_details(demo_catalog, demo_agencies, clerk, answer=answer)
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 12, 2, 10))
    dossier = actions.send_back(dossier, actor=leader, note="Kiểm tra lại giấy tờ", at=at(2026, 12, 2, 11))
    assert dossier.current_step["key"] == "tham_tra"  # a leader's send-back asks a person to look again
