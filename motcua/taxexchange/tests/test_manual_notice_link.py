"""The back-office dossier page links to the manual tax-notice page while the dossier waits on the tax notice, for
the officers who may enter it (the tax step's staff) and nobody else; once a notice is on record the link goes."""

import pytest
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.helpers import at
from motcua.taxexchange import actions
from motcua.taxexchange.models import TaxTransfer
from motcua.taxexchange.tests.helpers import at_tax_step

pytestmark = pytest.mark.django_db


def page(client, user, dossier, *, visible=True):
    client.force_login(user)
    response = client.get(reverse("backoffice:dossier", kwargs={"code": dossier.code}))
    assert response.status_code == (200 if visible else 403)
    return response.content.decode()


def has_link(html, dossier):
    return f'href="{reverse("taxexchange:manual_notice", args=[dossier.code])}"' in html


def test_the_tax_officer_is_linked_to_the_manual_page_while_the_notice_is_awaited(
        demo_catalog, demo_agencies, clerk, specialist, tax_specialist, client):
    dossier = at_tax_step(demo_catalog, demo_agencies, clerk, specialist)
    transfer = actions.start_transfer(dossier.pk, at=at(2026, 12, 1, 15, 5))  # no tax system configured: manual
    assert transfer is not None and transfer.state == TaxTransfer.State.MANUAL
    html = page(client, tax_specialist, dossier)
    assert has_link(html, dossier) and "Nhập thông báo thuế (xử lý thủ công)" in html
    assert "Đang chờ thông báo thuế" in html and transfer.get_state_display() in html
    # Seen by the officer, the link leads to a page they can use.
    assert client.get(reverse("taxexchange:manual_notice", args=[dossier.code])).status_code == 200


@pytest.mark.parametrize("who", ["clerk", "specialist", "leader", "treasury_specialist"])
def test_staff_who_may_not_enter_the_notice_get_no_link(demo_catalog, demo_agencies, clerk, specialist,
                                                        tax_specialist, client, request, who):
    dossier = at_tax_step(demo_catalog, demo_agencies, clerk, specialist)
    actions.start_transfer(dossier.pk, at=at(2026, 12, 1, 15, 5))
    html = page(client, request.getfixturevalue(who), dossier, visible=who != "treasury_specialist")
    assert not has_link(html, dossier) and "Đang chờ thông báo thuế" not in html


def test_no_link_once_the_notice_is_recorded(demo_catalog, demo_agencies, clerk,
                                                                     specialist, tax_specialist, client):
    dossier = at_tax_step(demo_catalog, demo_agencies, clerk, specialist)
    actions.start_transfer(dossier.pk, at=at(2026, 12, 1, 15, 5))
    assert has_link(page(client, tax_specialist, dossier), dossier)
    actions.enter_notice_manually(Dossier.objects.get(pk=dossier.pk), actor=tax_specialist, number="TB-1",
                                  lines=[("1003", "Thuế thu nhập cá nhân", 40_000_000)], at=at(2026, 12, 2, 9))
    assert not has_link(page(client, tax_specialist, dossier), dossier)  # now the citizen pays
