import pytest

from motcua.privacy.access import record_access
from motcua.privacy.models import AccessKind, DataAccess


@pytest.mark.django_db
def test_a_read_by_staff_is_logged_with_its_subject_purpose_and_reader(citizen, clerk):
    citizen.national_id = "075090001234"
    citizen.save()
    record_access(actor=clerk, kind=AccessKind.POPULATION_LOOKUP, purpose="Tiếp nhận hồ sơ", subject=citizen)
    row = DataAccess.objects.get()
    assert (row.actor, row.subject, row.subject_national_id) == (clerk, citizen, "075090001234")
    assert row.kind == "population_lookup" and row.purpose == "Tiếp nhận hồ sơ"


@pytest.mark.django_db
def test_a_read_without_an_account_keeps_the_id_number_and_a_system_read_has_no_reader(citizen):
    from django.contrib.auth.models import AnonymousUser
    record_access(actor=AnonymousUser(), kind=AccessKind.BUSINESS_LOOKUP, purpose="x",
                  subject_national_id="075090009999")
    row = DataAccess.objects.get()
    assert row.actor is None and row.subject is None and row.subject_national_id == "075090009999"


@pytest.mark.django_db
def test_a_read_of_someone_else_on_a_dossier_names_that_person_not_the_applicant(citizen, other_citizen, clerk,
                                                                                  demo_catalog, demo_agencies):
    """E.g. the business register names a representative, or the population database a household member."""
    from motcua.dossiers.tests.helpers import land_dossier

    dossier = land_dossier(demo_catalog, demo_agencies, clerk, None)  # other_citizen's ID number, no account link
    citizen.national_id = "075090001234"
    citizen.save()
    record_access(actor=clerk, kind=AccessKind.BUSINESS_LOOKUP, purpose="x", dossier=dossier,
                  subject_national_id="075090001234")
    record_access(actor=clerk, kind=AccessKind.DOSSIER_VIEW, purpose="x", dossier=dossier)
    named, applicant = DataAccess.objects.order_by("pk")
    assert (named.subject, named.subject_national_id) == (citizen, "075090001234")
    assert (applicant.subject, applicant.subject_national_id) == (other_citizen, "075195004321")
