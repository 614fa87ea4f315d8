"""The national population database as the second proof of a citizen's personal ID for automatic representation:
a citizen the business register names becomes its legal representative at once when a VNeID sign-in vouched for
their ID, or when a population database answer made for them found that ID under their name. An answer made for
someone else, under another name, or that found nothing, proves nothing: the claim waits for a clerk."""

import pytest

from motcua.dossiers.actions import Applicant, submit_dossier
from motcua.dossiers.models import Channel
from motcua.dossiers.tests.helpers import LAND_FORM, LAND_PAPERS
from motcua.identity.actions import sign_in_citizen
from motcua.identity.models import AssuranceLevel, Representation
from motcua.integrations import business_register as service
from motcua.integrations import population
from motcua.integrations.models import RegistryAnswer
from motcua.integrations.tests.business_register_helpers import business_register  # noqa: F401
from motcua.integrations.tests.population_helpers import NOT_REGISTERED_ID

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")

ACTIVE = "3601234569"  # legal representative: Nguyễn Văn An (075090001234), the demo citizen nguyenvana


def test_a_vneid_sign_in_proves_the_id(business_register, citizen):  # noqa: F811
    citizen = sign_in_citizen({"national_id": citizen.national_id, "full_name": citizen.full_name},
                              assurance_level=AssuranceLevel.LEVEL_2)
    assert service.identity_proof(citizen) == (citizen.national_id, service.VNEID_PROOF)
    claim = service.claim_representation(user=citizen, tax_code=ACTIVE)
    assert claim.granted and claim.reason == "named"
    assert "CSDL quốc gia về dân cư" not in claim.representation.decision_note


def test_the_citizens_own_population_answer_proves_the_id(business_register, population_registry,  # noqa: F811
                                                          citizen):
    assert citizen.assurance_level == AssuranceLevel.NONE  # a password account: no VNeID sign-in vouches
    assert service.identity_proof(citizen) == ("", "")
    result = population.lookup_person(citizen.national_id, actor=citizen, purpose="Điền sẵn tờ khai")
    assert result.found and result.person.full_name == citizen.full_name
    assert population.confirming_answer(citizen).pk == result.answer_id
    assert service.identity_proof(citizen) == (citizen.national_id, service.POPULATION_PROOF)
    claim = service.claim_representation(user=citizen, tax_code=ACTIVE)
    assert claim.granted and claim.reason == "named"
    representation = claim.representation
    assert (representation.status, representation.source) == (Representation.Status.CONFIRMED,
                                                               Representation.Source.BUSINESS_REGISTER)
    assert representation.decision_note.endswith("số định danh cá nhân được xác nhận qua CSDL quốc gia về dân cư")


def test_an_answer_kept_on_the_citizens_own_dossier_proves_the_id(business_register, population_registry,  # noqa: F811
                                                                  citizen, clerk, demo_catalog, demo_agencies):
    result = population.lookup_person(citizen.national_id, actor=clerk, purpose="Đối chiếu hồ sơ")
    assert result.found
    assert service.identity_proof(citizen) == ("", "")  # a clerk's look-up of the number is not for this account
    dossier = submit_dossier(procedure=demo_catalog["1.013831"], channel=Channel.ONLINE, actor=citizen,
                             applicant=Applicant(name=citizen.full_name, id_number=citizen.national_id),
                             competent_agency=demo_agencies["land_office"], form_data=LAND_FORM,
                             paper_documents=LAND_PAPERS, assurance_level=2)
    assert dossier.applicant == citizen
    population.attach_to_dossier(dossier, result.answer_id)  # kept on the citizen's own dossier as its evidence
    assert service.identity_proof(citizen) == (citizen.national_id, service.POPULATION_PROOF)
    assert service.claim_representation(user=citizen, tax_code=ACTIVE).granted


def _pending(claim):
    assert not claim.granted and claim.reason == "not_verified"
    assert claim.representation.status == Representation.Status.PENDING
    assert claim.representation.source == Representation.Source.CLAIM


def test_someone_elses_look_up_of_the_number_proves_nothing(business_register, population_registry,  # noqa: F811
                                                             citizen, clerk):
    assert population.lookup_person(citizen.national_id, actor=clerk, purpose="Tiếp nhận").found
    _pending(service.claim_representation(user=citizen, tax_code=ACTIVE))


def test_an_answer_under_another_name_proves_nothing(business_register, population_registry, citizen):  # noqa: F811
    citizen.full_name = "Nguyen Van An"  # the registry writes "Nguyễn Văn An": diacritics matter
    citizen.save()
    assert population.lookup_person(citizen.national_id, actor=citizen, purpose="Điền sẵn").found
    assert population.confirming_answer(citizen) is None
    _pending(service.claim_representation(user=citizen, tax_code=ACTIVE))


def test_an_answer_that_found_nothing_or_never_came_proves_nothing(business_register, population_registry,  # noqa: F811
                                                                   citizen):
    population_registry.state.faults.update({"down": True})
    assert population.lookup_person(citizen.national_id, actor=citizen, purpose="Điền sẵn").unavailable
    assert RegistryAnswer.objects.get().status == RegistryAnswer.Status.UNAVAILABLE
    _pending(service.claim_representation(user=citizen, tax_code=ACTIVE))
    # An answer about another number, even the citizen's own look-up, is not about this account's ID.
    population_registry.state.faults.update({"down": False})
    assert population.lookup_person(NOT_REGISTERED_ID, actor=citizen, purpose="x").status == "not_found"
    assert population.confirming_answer(citizen) is None
