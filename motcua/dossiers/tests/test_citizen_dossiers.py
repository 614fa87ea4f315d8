"""A citizen's own dossiers (`dossiers.selectors.citizen_dossier(s)`): those they submitted online, nobody else's."""

from django.contrib.auth.models import AnonymousUser

from motcua.dossiers.actions import Applicant, Upload, submit_dossier
from motcua.dossiers.models import Channel
from motcua.dossiers.selectors import citizen_dossier, citizen_dossiers, is_citizens_dossier, last_form_data
from motcua.dossiers.tests.test_deadlines import BIRTH_FORM

SLOTS = ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")


def online(procedure, agency, citizen, key):
    return submit_dossier(procedure=procedure, channel=Channel.ONLINE, applicant=Applicant(name="Nguyễn Văn An"),
                          competent_agency=agency, actor=citizen, form_data=BIRTH_FORM, idempotency_key=key,
                          uploads=[Upload(c, f"{c}.pdf", b"%PDF-1.4") for c in SLOTS])


def test_only_the_citizens_own_dossiers(demo_catalog, demo_agencies, citizen, other_citizen, other_clerk):
    procedure, agency = demo_catalog["1.001193"], demo_agencies["tran_bien"]
    mine = online(procedure, agency, citizen, "a")
    theirs = online(procedure, agency, other_citizen, "b")
    at_counter = submit_dossier(  # entered by a clerk: no online applicant, nobody's "own" dossier
        procedure=procedure, channel=Channel.COUNTER, applicant=Applicant(name="Nguyễn Văn An"),
        competent_agency=agency, receiving_agency=agency, actor=other_clerk, form_data=BIRTH_FORM,
        paper_documents=list(SLOTS))
    assert list(citizen_dossiers(citizen)) == [mine]
    assert citizen_dossier(citizen, mine.code) == mine and citizen_dossier(citizen, theirs.code) is None
    assert citizen_dossier(citizen, at_counter.code) is None and citizen_dossier(other_clerk, at_counter.code) is None
    assert is_citizens_dossier(citizen, mine) and not is_citizens_dossier(citizen, theirs)
    assert not is_citizens_dossier(AnonymousUser(), at_counter) and not is_citizens_dossier(None, at_counter)
    assert not citizen_dossiers(None).exists()
    assert last_form_data(citizen, procedure) == BIRTH_FORM and last_form_data(other_clerk, procedure) == {}
