"""A land dossier's parcel is checked against the land database when it is created (online: before the clerk
receives it; the look-up runs after commit, in the job queue); the flags wait for the clerk on the dossier page."""

import pytest
from django.urls import reverse

from motcua.dossiers.actions import Applicant, submit_dossier
from motcua.dossiers.models import Channel
from motcua.land import actions
from motcua.land.models import ParcelCheck
from motcua.land.tests.helpers import AN_ID, BINH_ID, TRANSFER_PAPERS, counter_dossier, info_form, transfer_form

pytestmark = pytest.mark.django_db


def online(catalog, agencies, user, form):
    return submit_dossier(procedure=catalog["1.013831"], channel=Channel.ONLINE,
                          applicant=Applicant(name=user.full_name, id_number=user.national_id), actor=user,
                          competent_agency=agencies["land_office"], form_data=form, paper_documents=TRANSFER_PAPERS,
                          assurance_level=2)


def test_online_submission_queues_the_check_after_commit(land_sim, demo_catalog, demo_agencies, other_citizen,
                                                         django_capture_on_commit_callbacks, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default"]}}
    with django_capture_on_commit_callbacks(execute=True):
        dossier = online(demo_catalog, demo_agencies, other_citizen, transfer_form())
    [check] = ParcelCheck.objects.filter(dossier=dossier)  # the pending placeholder gave way to the answer
    assert (check.state, check.flags, check.parcel["number"]) == (ParcelCheck.State.CLEAR, [], "345")
    assert dossier.status == "submitted"


def test_a_disputed_parcel_and_a_stranger_are_flagged(land_sim, demo_catalog, demo_agencies, citizen, clerk,
                                                      client):
    form = transfer_form(serial="DN 012347", seller=("Nguyễn Văn An", AN_ID), buyer=("Trần Thị Bình", BINH_ID))
    dossier = online(demo_catalog, demo_agencies, citizen, form)
    assert ParcelCheck.objects.get(dossier=dossier).state == ParcelCheck.State.PENDING
    check = actions.check_dossier_parcel(dossier.pk)
    assert check.state == ParcelCheck.State.FLAGGED
    assert [(f["code"], f["severity"]) for f in check.flags] == [
        ("named_not_holder", "block"), ("applicant_not_holder", "warn"), ("restriction_tranh_chap", "block")]
    client.force_login(clerk)
    page = client.get(reverse("backoffice:dossier", kwargs={"code": dossier.code})).content.decode()
    assert "Thửa đất đang có tranh chấp" in page and "Lê Văn Cường (075088007777)" in page
    assert "Đối chiếu với cơ sở dữ liệu đất đai" in page


def test_the_database_down_leaves_a_manual_check(land_sim, demo_catalog, demo_agencies, clerk, settings):
    settings.MOTCUA_INTEGRATION_SYSTEMS["dat_dai"]["base_url"] = "http://127.0.0.1:9"  # nothing listens
    dossier = counter_dossier(demo_catalog, demo_agencies, clerk)
    check = actions.check_dossier_parcel(dossier.pk)
    assert check.state == ParcelCheck.State.UNAVAILABLE and "transport" in check.error


def test_not_configured_leaves_a_manual_check_without_a_job(demo_catalog, demo_agencies, clerk):
    dossier = counter_dossier(demo_catalog, demo_agencies, clerk, form=info_form())
    [check] = ParcelCheck.objects.filter(dossier=dossier)
    assert check.state == ParcelCheck.State.UNAVAILABLE and "not configured" in check.error


def test_a_parcel_not_in_the_database_blocks(land_sim, demo_catalog, demo_agencies, clerk):
    dossier = counter_dossier(demo_catalog, demo_agencies, clerk, form=info_form(serial="DN 999999"))
    check = actions.check_dossier_parcel(dossier.pk)
    assert check.state == ParcelCheck.State.NOT_FOUND and check.blocking[0]["code"] == "parcel_not_found"


def test_only_the_configured_procedures_are_checked(land_sim, demo_catalog, demo_agencies, clerk, settings):
    settings.MOTCUA_LAND_PROCEDURES = ["1.013831"]
    dossier = counter_dossier(demo_catalog, demo_agencies, clerk, form=info_form())
    assert not ParcelCheck.objects.filter(dossier=dossier).exists()
    assert actions.check_dossier_parcel(dossier.pk) is None


def test_the_clerk_acknowledges_once(land_sim, demo_catalog, demo_agencies, clerk, other_clerk):
    dossier = counter_dossier(demo_catalog, demo_agencies, clerk, form=info_form(serial="DN 012347"))
    check = actions.check_dossier_parcel(dossier.pk)
    assert check is not None
    first = actions.acknowledge_check(check, actor=clerk)
    again = actions.acknowledge_check(check, actor=other_clerk)
    assert first.acknowledged_by == clerk and again.acknowledged_by == clerk
    assert again.acknowledged_at == first.acknowledged_at
