"""In Debian's Chromium at 360 px: the ward leader opens a dossier answered by an outside agency through the hub —
the exchange panel (document, trail with a late status marked, answer link) and, once the result is ready, the form
to send it to an outside agency. No sideways scroll, and axe finds nothing."""

import os

import pytest
from django.test import Client

from motcua.docexchange import actions
from motcua.docexchange.models import OutgoingDocument
from motcua.docexchange.tests.helpers import control, to_external_step
from motcua.dossiers import actions as dossier_actions
from motcua.portal.tests.test_e2e_browser import CHROMIUM, assert_accessible, axe_script, browser_page  # noqa: F401

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is installed by .ci/run")


def test_the_exchange_panel_on_a_phone(units_restored, live_server, hub, browser_page, axe_script,  # noqa: F811
                                       exchange_procedure, demo_agencies, other_clerk, commune_specialist,
                                       commune_leader, django_capture_on_commit_callbacks):
    hub.state.config.auto = False
    dossier = to_external_step(exchange_procedure, demo_agencies, other_clerk, commune_specialist,
                               django_capture_on_commit_callbacks)
    document = OutgoingDocument.objects.get(dossier=dossier)
    for code in ("01", "05", "03"):
        control(hub, "/_status", {"document_id": document.document_id, "code": code})
    control(hub, "/_answer", {"document_id": document.document_id})
    actions.poll()
    client = Client()
    client.force_login(commune_leader)
    page = browser_page
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/mot-cua/ho-so/{dossier.code}/")
    panel = page.locator("#document-exchange").inner_text()
    assert "Sở Tư pháp Thành phố Hồ Chí Minh" in panel and "trùng hoặc đến muộn" in panel
    assert page.locator("#document-exchange a").count() == 1  # the answer document
    assert_accessible(page, axe_script, "dossier page with the exchange panel")
    dossier_actions.approve_dossier(dossier, actor=commune_leader)
    page.goto(f"{live_server.url}/mot-cua/ho-so/{dossier.code}/")
    page.wait_for_selector("#exchange-to")
    assert_accessible(page, axe_script, "dossier page with the form to send the result")
    page.click("text=Gửi qua trục liên thông văn bản")
    page.wait_for_selector("text=Đã gửi kết quả bằng văn bản số")
    assert OutgoingDocument.objects.filter(purpose=OutgoingDocument.Purpose.RESULT).count() == 1
