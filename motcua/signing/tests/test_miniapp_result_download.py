"""In the Zalo Mini App (Chromium at 360 px, the Zalo bridge a test double), the citizen downloads the signed e-result
of their land transfer: the file the app hands to Zalo is the signed PDF, byte for byte; axe finds nothing."""

import hashlib

from motcua.dossiers import actions
from motcua.identity.tokens import issue_token
from motcua.portal.tests.test_e2e_browser import axe_script  # noqa: F401 - fixture
from motcua.portal.tests.test_form_controls_on_a_phone import outside_playwrights_loop
from motcua.portal.tests.test_miniapp_browser import APP, built_app, miniapp, screen, tab  # noqa: F401 - fixtures
from motcua.signing.actions import approve_with_result, upload_draft
from motcua.signing.models import ResultDocument
from motcua.signing.tests.test_approval import WHEN, at_specialist  # noqa: F401 - fixture


def test_the_signed_result_is_downloaded_in_the_mini_app(agency_signing, at_specialist, specialist,  # noqa: F811
                                                         leader, citizen, draft, axe_script, miniapp):  # noqa: F811
    with outside_playwrights_loop():  # (the browser is already up: Django's work is unmarked from its loop)
        dossier = at_specialist
        upload_draft(dossier, actor=specialist, name="qd.pdf", content=draft)
        dossier = actions.forward_dossier(dossier, actor=specialist, at=WHEN)
        approve_with_result(dossier, actor=leader, expected_version=dossier.version, note="Đồng ý")
        signed = ResultDocument.objects.get(dossier=dossier).signed_file.read()
        token = issue_token(citizen)

    page = miniapp.page
    page.add_init_script(f"localStorage.setItem('motcua.token', '{token}');")
    page.goto(APP)
    page.wait_for_function("document.title.startsWith('Dịch vụ công Đồng Nai')")
    tab(page, "Hồ sơ")
    page.click(f"li:has-text('{dossier.code}') >> a")
    screen(page, "Chi tiết hồ sơ", axe_script, "dossier with a signed result")
    page.click("text=Tải kết quả (PDF)")
    page.wait_for_function("window.__zaloCalls.some(c => c[0] === 'openWebview')")
    downloaded = page.evaluate("""async () => {
      const url = window.__zaloCalls.find(c => c[0] === 'openWebview')[1].url;
      return Array.from(new Uint8Array(await (await fetch(url)).arrayBuffer())); }""")
    assert hashlib.sha256(bytes(downloaded)).hexdigest() == hashlib.sha256(signed).hexdigest()
