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
