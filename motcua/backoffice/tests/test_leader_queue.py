"""A leader's approval queue: dossiers at a leader's step in the leader's agencies, the most urgent first."""

from django.urls import reverse

from motcua.backoffice.tests.helpers import local
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests.helpers import land_dossier


def at_approval(catalog, agencies, cast, when):
    dossier = land_dossier(catalog, agencies, cast["clerk"], when)
    for actor in ("clerk", "specialist", "tax_specialist", "treasury_specialist", "specialist"):
        dossier = actions.forward_dossier(dossier, actor=cast[actor], at=when)
    assert dossier.current_role == "leader"
    return dossier


def test_the_leader_sees_what_awaits_approval(frozen_now, as_leader, clerk, specialist, tax_specialist,
                                              treasury_specialist, commune_leader, demo_catalog, demo_agencies):
    cast = {"clerk": clerk, "specialist": specialist, "tax_specialist": tax_specialist,
            "treasury_specialist": treasury_specialist}
    relaxed = at_approval(demo_catalog, demo_agencies, cast, local(2026, 12, 2, 8))
    urgent = at_approval(demo_catalog, demo_agencies, cast, local(2026, 12, 2, 8))
    Dossier.objects.filter(pk=urgent.pk).update(step_due_at=local(2026, 12, 1, 15))
    elsewhere = land_dossier(demo_catalog, demo_agencies, clerk, local(2026, 12, 2, 8))  # still at the counter

    response = as_leader.get(reverse("backoffice:approvals"))
    assert response.status_code == 200
    page = response.content.decode()
    assert urgent.code in page and relaxed.code in page and elsewhere.code not in page
    assert page.index(urgent.code) < page.index(relaxed.code)
    assert "Quá hạn" in page

    home = as_leader.get(reverse("backoffice:home")).content.decode()
    assert reverse("backoffice:approvals") in home and "2 hồ sơ" in home

    # The leader approves from the dossier page: the result goes back to the counter.
    detail = as_leader.get(reverse("backoffice:dossier", args=[urgent.code])).content.decode()
    assert 'id="action-approve"' in detail
    response = as_leader.post(reverse("backoffice:dossier_action", args=[urgent.code, "approve"]),
                              {"approve-expected_version": urgent.version, "approve-note": "Đồng ý"})
    assert response.status_code == 302
    urgent.refresh_from_db()
    assert urgent.status == Status.RESULT_READY
    assert urgent.code not in as_leader.get(reverse("backoffice:approvals")).content.decode()

    # A leader of another agency sees none of them, and opening one asks for a reason first.
    from django.test import Client

    other = Client()
    other.force_login(commune_leader)
    assert relaxed.code not in other.get(reverse("backoffice:approvals")).content.decode()
    assert other.get(reverse("backoffice:dossier", args=[relaxed.code])).status_code == 403


def test_the_approval_queue_is_for_leaders(as_specialist):
    assert as_specialist.get(reverse("backoffice:approvals")).status_code == 403
