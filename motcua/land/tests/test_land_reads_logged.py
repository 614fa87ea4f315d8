"""A member of staff shown a parcel's holders from the land database (the parcel look-up page, the counter intake
page's look-up, the dossier page's land panel) has read their personal data: one access-log row per holder, with
the reader, the dossier when there is one, and why; repeated page views within the window are one row."""

import pytest
from django.urls import reverse

from motcua.land import actions
from motcua.land.tests.helpers import AN_ID, BINH_ID, counter_dossier, transfer_form
from motcua.privacy.access import grant_reason
from motcua.privacy.models import AccessKind, DataAccess

pytestmark = pytest.mark.django_db
CUONG_ID = "075088007777"


def land_reads():
    return list(DataAccess.objects.filter(kind=AccessKind.LAND_VIEW).order_by("pk"))


def test_the_parcel_look_up_page_logs_each_holder_read(land_sim, client, clerk, demo_catalog):
    client.force_login(clerk)
    url = reverse("land:lookup") + "?thu_tuc=1.013831&gcn=DN+012347"
    page = client.get(url).content.decode()
    assert "Lê Văn Cường" in page
    [read] = land_reads()
    assert (read.actor, read.subject_national_id, read.dossier, read.out_of_scope) == (clerk, CUONG_ID, None, False)
    assert "DN 012347" in read.detail and "1.013831" in read.purpose
    assert read.actor_role == "clerk"
    client.get(url)  # reloading the page within the window: still one line
    assert len(land_reads()) == 1


def test_the_counter_intake_look_up_logs_the_holders(land_sim, client, clerk, demo_catalog):
    client.force_login(clerk)
    page = client.get(reverse("backoffice:intake", args=["1.013831"]) + "?gcn=DN+012346&so_dinh_danh=" + AN_ID)
    assert page.status_code == 200 and "Nguyễn Văn An" in page.content.decode()
    assert [(r.actor, r.subject_national_id) for r in land_reads()] == [(clerk, AN_ID)]
    assert land_reads()[0].subject.national_id == AN_ID  # the holder's account: shown under "My account"


def test_nothing_is_logged_without_a_parcel_shown(land_sim, client, clerk, demo_catalog):
    client.force_login(clerk)
    assert client.get(reverse("land:lookup") + "?thu_tuc=1.013831&gcn=DN+999999").status_code == 200  # not found
    assert client.get(reverse("land:lookup") + "?thu_tuc=1.013831&gcn=12").status_code == 400  # not a serial
    assert land_reads() == []


def test_the_dossier_pages_land_panel_logs_the_holders_on_the_dossier(land_sim, client, clerk, specialist,
                                                                       other_clerk, demo_catalog, demo_agencies):
    form = transfer_form(serial="DN 012345", seller=("Trần Thị Bình", BINH_ID), buyer=("Nguyễn Văn An", AN_ID))
    dossier = counter_dossier(demo_catalog, demo_agencies, clerk, code="1.013831", form=form,
                              applicant=("Nguyễn Văn An", AN_ID))
    actions.check_dossier_parcel(dossier.pk)  # the system's own look-up: no reader, nothing logged
    assert land_reads() == []
    client.force_login(specialist)
    page = client.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert "Trần Thị Bình" in page
    [read] = land_reads()  # the seller, a holder who is not the applicant
    assert (read.actor, read.dossier, read.subject_national_id, read.kind) == (specialist, dossier, BINH_ID,
                                                                              "land_view")
    assert read.actor_role == "specialist" and not read.out_of_scope

    # A clerk of another agency reads it under a typed reason: the land read is out of scope, with the reason.
    grant_reason(actor=other_clerk, dossier=dossier, reason="Công dân hỏi tại quầy của phường về hồ sơ này")
    client.force_login(other_clerk)
    assert client.get(reverse("backoffice:dossier", args=[dossier.code])).status_code == 200
    outside = land_reads()[-1]
    assert (outside.actor, outside.out_of_scope, outside.subject_national_id) == (other_clerk, True, BINH_ID)
    assert outside.purpose == "Công dân hỏi tại quầy của phường về hồ sơ này"
