"""The Zalo Mini App (miniapp/dist, built by `.ci/run`) in Debian's Chromium at 360×740, its Zalo bridge replaced by
a test double and its API calls answered by motcua in-process (this test's database): sign in with Zalo, reach
VNeID level 2 with the portal's one-time code, walk a land transfer from the search to the submission, follow the
dossier, read it again offline, look a dossier up by its QR, send a petition; axe finds nothing on any screen.
The dossier the app made equals the one the web form makes for the same answers.

Skipped only when the app is not built and CI is not set; with CI set, a missing build fails."""

import base64
import os
import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.dossiers.actions import receive_dossier
from motcua.dossiers.models import Channel, Dossier, SurveyResponse
from motcua.identity.models import AssuranceLevel, ZaloLink
from motcua.identity.tokens import issue_token
from motcua.portal.tests.test_api import zalo  # noqa: F401 - the loopback Zalo Graph API
from motcua.portal.tests.test_assurance_level import signed_in_at
from motcua.portal.tests.test_e2e_browser import CHROMIUM, assert_accessible, axe_script  # noqa: F401
from motcua.portal.tests.test_form_controls_on_a_phone import outside_playwrights_loop
from motcua.portal.tests.test_survey import returned  # noqa: F401 - a returned dossier of the citizen

DIST = Path(__file__).resolve().parents[3] / "miniapp" / "dist"
SITE = "http://motcua.test"
APP = f"{SITE}/miniapp/"
LAND = "1.013831"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is installed by .ci/run")

# What the citizen types, page by page, keyed by the web form's field names ("group__question").
ANSWERS = {
    "ben_chuyen_nhuong__ho_ten": "Phạm Văn Hùng", "ben_chuyen_nhuong__so_dinh_danh": "075085003456",
    "ben_chuyen_nhuong__ngay_sinh": "1990-05-12", "ben_chuyen_nhuong__dia_chi": "12 Lê Lợi, Biên Hòa",
    "ben_nhan_chuyen_nhuong__ho_ten": "Nguyễn Văn An", "ben_nhan_chuyen_nhuong__so_dinh_danh": "075090001234",
    "thua_dat__so_thua": "125", "thua_dat__to_ban_do": "18", "thua_dat__dien_tich": "1250,5",
    "thua_dat__dia_chi_thua__province_code": "75", "thua_dat__dia_chi_thua__commune_code": "26041",
    "thua_dat__dia_chi_thua__street": "Tổ 5, khu phố 3",
    "thua_dat__so_phat_hanh_gcn": "DA 123456",
    "hop_dong__so_cong_chung": "4521", "hop_dong__ngay_cong_chung": "2026-11-10",
    "hop_dong__gia_chuyen_nhuong": "1500000000",
    "hinh_thuc_nhan_ket_qua": "truc_tiep",
}
DOCUMENTS = ("don_dang_ky_bien_dong", "giay_chung_nhan", "hop_dong_chuyen_nhuong", "to_khai_tncn", "to_khai_lptb")
PHOTO_BYTES = b"\xff\xd8\xff\xe0 JPEG giay_chung_nhan"
PHOTO = "giay_chung_nhan"  # taken with the camera (the bridge's chooseImage), the others chosen as files

# The Zalo bridge's test double: what zmp-sdk would answer inside Zalo, and a record of the calls.
FAKE_BRIDGE = """
window.__MOTCUA_CONFIG__ = {apiBase: "SITE", oaId: "1234567890"};
window.__zaloCalls = [];
const record = (name, args) => { window.__zaloCalls.push([name, args || null]); };
window.__MOTCUA_ZALO_BRIDGE__ = {
  getAccessToken: () => { record("getAccessToken"); return "zalo-user-token"; },
  getPhoneNumber: () => { record("getPhoneNumber"); return {token: "phone-code"}; },
  scanQRCode: () => { record("scanQRCode"); return {content: window.__qrContent || ""}; },
  chooseImage: (args) => { record("chooseImage", args);
    return [{name: "giay-chung-nhan.jpg", base64: "PHOTO"}]; },
  followOA: (args) => { record("followOA", args); },
  requestSendNotification: () => { record("requestSendNotification"); },
  openWebview: (args) => { record("openWebview", args); },
};
""".replace('"SITE"', f'"{SITE}"').replace('"PHOTO"', f'"{base64.b64encode(PHOTO_BYTES).decode()}"')


@pytest.fixture
def built_app():
    if not (DIST / "index.html").exists():
        if os.environ.get("CI"):
            pytest.fail("miniapp/dist is missing: .ci/run builds the Mini App before the tests")
        pytest.skip("the Mini App is not built (cd miniapp && npm ci && npm run build)")
    return DIST


@pytest.fixture
def miniapp(monkeypatch, db, built_app):
    """A 360×740 Chromium page on the built app at /miniapp/; every other request of the page is answered by
    Django's test client in-process (this test's transaction); .offline = True fails the API calls as a phone
    without network would."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    client = Client()
    state = SimpleNamespace(offline=False)

    def serve(route, request):
        url = urlsplit(request.url)
        if url.path.startswith("/miniapp/"):
            found = built_app / (url.path.removeprefix("/miniapp/") or "index.html")
            return route.fulfill(path=str(found)) if found.is_file() else route.fulfill(status=404)
        if state.offline:
            return route.abort("internetdisconnected")
        headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in request.headers.items()
                   if k.lower() in ("authorization", "idempotency-key", "accept")}
        path = url.path + (f"?{url.query}" if url.query else "")
        with outside_playwrights_loop():
            response = client.generic(request.method, path, request.post_data_buffer or b"",
                                      content_type=request.headers.get("content-type", ""), **headers)
            body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        return route.fulfill(status=response.status_code, body=body, headers=dict(response.items()))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", is_mobile=True,
                                      has_touch=True)
        context.route(f"{SITE}/**", serve)
        context.add_init_script(FAKE_BRIDGE)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(f"{exc.name}: {exc.message} {exc.stack}"))
        yield SimpleNamespace(page=page, state=state)
        browser.close()
    assert not errors, errors


def pdf(code):
    return b"%PDF-1.4 " + code.encode()


def screen(page, title, axe, name):
    """Wait for the screen titled TITLE, then check it with axe (and that nothing scrolls sideways)."""
    page.wait_for_function("t => document.title.startsWith(t)", arg=title)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(400)  # the page transition's animation
    assert_accessible(page, axe, name)


def snapshot(dossier):
    """What a dossier is, apart from its code, secret, times and key: to compare the app's with the web's."""
    same = ("procedure_id", "procedure_version_id", "channel", "status", "applicant_id", "applicant_name",
            "applicant_id_number", "applicant_phone", "applicant_email", "applicant_address", "organisation_id",
            "form_data", "return_method", "receiving_agency_id", "competent_agency_id", "step_index",
            "current_agency_id", "current_role")
    return {
        **{f: getattr(dossier, f) for f in same},
        "documents": sorted((d.slot, d.name, d.blob.size if d.blob_id else None) for d in dossier.documents.all()),
        "invoices": sorted((i.purpose, i.total, i.state) for i in dossier.invoices.all()),
        "events": [(e.from_status, e.to_status, e.is_public) for e in dossier.events.order_by("seq")],
    }


def tab(page, label):
    page.click(f"nav.tabbar >> text={label}")
    page.wait_for_timeout(400)


def back(page):
    """The header's back button (the app's router keeps its own history, not the browser's)."""
    page.click(".zaui-header-back-btn")
    page.wait_for_timeout(400)


def web_dossier(citizen, agency):
    """The same land transfer submitted through the web form, page by page, as a browser posts it."""
    web = Client()
    signed_in_at(web, citizen, AssuranceLevel.LEVEL_2)

    def url(index):
        return reverse("portal:apply_page", args=[LAND, index])

    assert web.get(reverse("portal:apply", args=[LAND])).status_code == 302
    first = web.post(url(0), {"name": citizen.full_name, "id_number": citizen.national_id or "",
                              "phone": citizen.phone, "email": citizen.email, "address": "", "agency": agency.pk})
    assert first.status_code == 302, first.content.decode()[:2000]
    pages = web.get(url(0)).context["pages"]
    for index in range(1, len(pages) - 1):
        answer = web.post(url(index), ANSWERS)
        assert answer.status_code == 302, (index, answer.content.decode()[:3000])
    documents = web.post(url(len(pages) - 1), {
        f"doc__{code}": SimpleUploadedFile(*((f"{code}.pdf", pdf(code), "application/pdf") if code != PHOTO else
                                             ("giay-chung-nhan.jpg", PHOTO_BYTES, "image/jpeg")))
        for code in DOCUMENTS})
    assert documents.status_code == 302, documents.content.decode()[:3000]
    assert web.post(reverse("portal:apply_check", args=[LAND])).status_code == 302
    return Dossier.objects.filter(channel="online").exclude(idempotency_key__startswith="api:").get()


def test_land_transfer_in_the_mini_app(zalo, citizen, clerk, demo_catalog, demo_agencies, axe_script,  # noqa: F811
                                       miniapp, tmp_path):
    # (miniapp last: the rows are written before Playwright's loop starts)
    page = miniapp.page
    page.goto(APP)
    screen(page, "Dịch vụ công Đồng Nai", axe_script, "home")
    assert page.locator("text=Đăng ký biến động quyền sử dụng đất").count() >= 1  # a popular procedure

    # Sign in with Zalo: the two tokens are exchanged on the server.
    page.click("text=Đăng nhập bằng Zalo")
    screen(page, "Tài khoản", axe_script, "account")
    page.click("button:has-text('Đăng nhập bằng Zalo')")
    page.wait_for_selector("text=(qua Zalo)")
    calls = [name for name, _args in page.evaluate("window.__zaloCalls")]
    assert calls[:2] == ["getAccessToken", "getPhoneNumber"]
    page.click("text=Quan tâm Official Account")
    page.wait_for_selector("text=Đã quan tâm Official Account của tỉnh.")
    page.click("text=Nhận tin nhắn về hồ sơ qua Zalo")
    page.wait_for_selector("text=Bạn sẽ nhận tin nhắn Zalo (ZNS) khi hồ sơ thay đổi.")
    assert ["followOA", {"id": "1234567890", "showDialogConfirm": True}] in page.evaluate("window.__zaloCalls")

    # The land transfer needs VNeID level 2: the citizen signed in with VNeID on the portal gets a code.
    with outside_playwrights_loop():
        web = Client()
        signed_in_at(web, citizen, AssuranceLevel.LEVEL_2)
        code = re.search(r'id="app-code">([A-Z0-9-]+)<',
                         web.post(reverse("identity:app_code")).content.decode()).group(1)
    page.click("text=Mở trang đăng nhập VNeID")
    assert ["openWebview", {"url": f"{SITE}/dinh-danh/ma-ung-dung/"}] in page.evaluate("window.__zaloCalls")
    page.fill("#app-code", "sai-ma-00")
    page.click("text=Xác nhận mã")
    page.wait_for_selector("text=Mã không đúng hoặc đã hết hạn")  # the API's error, in plain words
    page.fill("#app-code", code)
    page.click("text=Xác nhận mã")
    page.wait_for_selector("text=(VNeID mức 2)")
    # Zalo is linked to this account (the empty Zalo-only account made above gives its link up).
    page.click("button:has-text('Liên kết tài khoản Zalo')")
    page.wait_for_selector("text=Đã liên kết tài khoản Zalo")
    with outside_playwrights_loop():
        assert ZaloLink.objects.get().user == citizen
    back(page)

    # Search, the procedure, apply.
    screen(page, "Dịch vụ công Đồng Nai", axe_script, "home signed in")
    page.fill("#search", "chuyen nhuong dat")
    page.click("button:has-text('Tìm kiếm')")
    screen(page, "Thủ tục hành chính", axe_script, "procedure list")
    page.click("a:has-text('Đăng ký biến động quyền sử dụng đất')")
    screen(page, "Chi tiết thủ tục", axe_script, "procedure detail")
    assert page.locator("text=Bản gốc Giấy chứng nhận đã cấp").count() == 1
    page.click("text=Nộp hồ sơ trực tuyến")
    screen(page, "Nộp hồ sơ trực tuyến", axe_script, "apply: applicant")
    page.select_option("#f-agency", label="Văn phòng Đăng ký đất đai tỉnh Đồng Nai")
    page.click("text=Tiếp tục")
    page.wait_for_selector("h2.step-title:has-text('Bên chuyển nhượng')")
    page.click("text=Tiếp tục")  # nothing typed: the error summary, linked to the questions
    page.wait_for_selector("text=Nhập họ, chữ đệm và tên của bên chuyển nhượng")
    assert_accessible(page, axe_script, "apply: errors")
    page.click(".error-summary >> text=Nhập số định danh cá nhân của bên chuyển nhượng")
    assert page.evaluate("document.activeElement.id") == "f-ben_chuyen_nhuong__so_dinh_danh"
    for title in ("Bên chuyển nhượng", "Bên nhận chuyển nhượng", "Thửa đất", "Hợp đồng chuyển nhượng",
                  "Thông tin khác"):
        page.wait_for_selector(f"h2.step-title:has-text('{title}')")
        for name, value in ANSWERS.items():
            control = page.locator(f"#f-{name}")
            if control.count():
                if control.evaluate("e => e.tagName") == "SELECT":
                    control.select_option(value)
                else:
                    control.fill(value)
        page.screenshot(path=str(tmp_path / f"form-{title}.png"), full_page=True)
        assert_accessible(page, axe_script, f"apply: {title}")
        page.click("text=Tiếp tục")

    page.wait_for_selector("h2.step-title:has-text('Giấy tờ đính kèm')")
    page.click("text=Tiếp tục")  # no documents: each missing one is named
    page.wait_for_selector("text=Đính kèm bản gốc Giấy chứng nhận đã cấp")
    for slot in DOCUMENTS:
        if slot == PHOTO:
            page.click(f"li:has(#doc-{slot}) >> text=Chụp ảnh")
        else:
            page.set_input_files(f"#f-doc__{slot}", files=[{"name": f"{slot}.pdf", "mimeType": "application/pdf",
                                                            "buffer": pdf(slot)}])
        page.wait_for_selector(f"li:has(#doc-{slot}) .attached li")
    assert_accessible(page, axe_script, "apply: documents")
    page.click("text=Tiếp tục")

    page.wait_for_selector("h2.step-title:has-text('Kiểm tra thông tin trước khi nộp')")
    text = page.inner_text("main")
    for shown in ("1.500.000.000 đ", "1.250,5", "12/05/1990", "Tổ 5, khu phố 3, Phường Trấn Biên, Tỉnh Đồng Nai",
                  "10/11/2026", "Nhận trực tiếp", "Phạm Văn Hùng",
                  "Văn phòng Đăng ký đất đai tỉnh Đồng Nai", "giay-chung-nhan.jpg"):
        assert shown in text, shown
    page.screenshot(path=str(tmp_path / "check.png"), full_page=True)
    assert_accessible(page, axe_script, "apply: check your answers")
    page.click("button:has-text('Nộp hồ sơ')")
    screen(page, "Đã nộp hồ sơ", axe_script, "submitted")
    code = page.inner_text("#dossier-code")
    with outside_playwrights_loop():
        app_dossier = Dossier.objects.get(code=code)
        assert app_dossier.applicant == citizen
        as_submitted = snapshot(app_dossier)
        receive_dossier(app_dossier, actor=clerk)  # the counter receives it: the deadline starts

    # Follow it: the timeline, the deadline, what is owed.
    page.click("text=Xem hồ sơ")
    screen(page, "Chi tiết hồ sơ", axe_script, "dossier")
    assert page.inner_text("#dossier-code") == code
    assert page.locator(".timeline li").count() >= 1
    page.wait_for_selector(".countdown")
    tab(page, "Hồ sơ")
    screen(page, "Hồ sơ của tôi", axe_script, "my dossiers")
    assert page.locator(f"text={code}").count() == 1

    # Offline: what was loaded is read again, said to be from memory.
    miniapp.state.offline = True
    page.reload()
    page.wait_for_function("document.title.startsWith('Dịch vụ công Đồng Nai')")
    tab(page, "Hồ sơ")
    page.wait_for_selector("text=Đang ngoại tuyến")
    assert page.locator(f"text={code}").count() == 1
    assert_accessible(page, axe_script, "my dossiers offline")
    tab(page, "Phản ánh")
    page.wait_for_selector("text=Không có kết nối mạng")  # never loaded: said in plain words
    miniapp.state.offline = False
    tab(page, "Trang chủ")

    # Look a dossier up by the QR code of its receipt.
    with outside_playwrights_loop():
        secret = app_dossier.lookup_secret
    page.evaluate(f"window.__qrContent = '{SITE}/tra-cuu/?ma={code}&mk={secret}'")
    page.click("text=Quét mã QR trên phiếu hẹn")
    screen(page, "Tra cứu hồ sơ", axe_script, "look-up")
    assert page.locator(f"text={code}").count() == 1

    # A petition about the procedure.
    tab(page, "Phản ánh")
    screen(page, "Phản ánh, kiến nghị", axe_script, "petitions")
    page.click("text=Chọn thủ tục")
    page.wait_for_function("document.title.startsWith('Thủ tục hành chính')")
    page.click("a:has-text('Đăng ký biến động quyền sử dụng đất')")
    page.click("text=Phản ánh về thủ tục này")
    screen(page, "Gửi phản ánh", axe_script, "new petition")
    page.fill("#f-title", "Hướng dẫn chưa rõ")
    page.fill("#f-content", "Mục thành phần hồ sơ chưa ghi rõ số bản sao cần nộp.")
    page.click("button:has-text('Gửi phản ánh')")
    screen(page, "Đã gửi phản ánh", axe_script, "petition sent")

    # The same answers on the web make the same dossier.
    with outside_playwrights_loop():
        web = snapshot(web_dossier(citizen, demo_agencies["land_office"]))
    assert as_submitted == web
    assert as_submitted["form_data"]["thua_dat"]["dien_tich"] == 1250.5
    assert as_submitted["form_data"]["hop_dong"]["gia_chuyen_nhuong"] == 1500000000
    assert as_submitted["form_data"]["thua_dat"]["dia_chi_thua"]["text"] == (
        "Tổ 5, khu phố 3, Phường Trấn Biên, Tỉnh Đồng Nai")


@pytest.fixture
def followed(demo_catalog, demo_agencies, citizen, other_clerk, settings):
    """Three of the citizen's birth registrations: one waiting for a supplement, one owing fees, one returned."""
    from motcua.dossiers import actions
    from motcua.dossiers.actions import Applicant, Upload, submit_dossier
    from motcua.dossiers.tests.test_deadlines import BIRTH_FORM
    from motcua.payments.invoices import create_invoice

    settings.MOTCUA_VNPAY_TMN_CODE, settings.MOTCUA_VNPAY_HASH_SECRET = "DEMO0001", "S" * 32
    settings.MOTCUA_VNPAY_PAYMENT_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"

    def birth(key):
        return submit_dossier(
            procedure=demo_catalog["1.001193"], channel=Channel.ONLINE, applicant=Applicant(name="Nguyễn Văn An"),
            competent_agency=demo_agencies["tran_bien"], actor=citizen, form_data=BIRTH_FORM, idempotency_key=key,
            uploads=[Upload(c, f"{c}.pdf", b"%PDF") for c in ("to_khai_khai_sinh", "giay_chung_sinh",
                                                               "giay_to_tuy_than")])

    supplement = actions.request_supplement(actions.receive_dossier(birth("supplement"), actor=other_clerk),
                                            actor=other_clerk, items=["Bản sao giấy chứng sinh rõ nét"],
                                            note="Bản chụp giấy chứng sinh bị mờ.")
    owing = actions.receive_dossier(birth("owing"), actor=other_clerk)
    create_invoice(owing, actor=other_clerk, quantities={1: 2})  # two extra copies: 16.000 đồng
    return SimpleNamespace(supplement=supplement, owing=owing, token=issue_token(citizen))


def test_follow_up_in_the_mini_app(followed, returned, axe_script, miniapp):  # noqa: F811
    page = miniapp.page
    page.add_init_script(f"localStorage.setItem('motcua.token', '{followed.token}');"
                         "localStorage.setItem('motcua.name', 'Nguyễn Văn An');")
    page.goto(APP)
    page.wait_for_function("document.title.startsWith('Dịch vụ công Đồng Nai')")
    tab(page, "Hồ sơ")
    screen(page, "Hồ sơ của tôi", axe_script, "my dossiers")
    for dossier in (followed.supplement, followed.owing, returned):
        assert page.locator(f"text={dossier.code}").count() == 1

    # A supplement request answered with a file.
    page.click(f"li:has-text('{followed.supplement.code}') >> a")
    screen(page, "Chi tiết hồ sơ", axe_script, "dossier awaiting a supplement")
    assert page.locator("text=Bản chụp giấy chứng sinh bị mờ.").count() == 1
    page.set_input_files("#supplement-file", files=[{"name": "giay-chung-sinh-ro.pdf",
                                                     "mimeType": "application/pdf", "buffer": b"%PDF-1.4 ro"}])
    page.wait_for_selector("text=giay-chung-sinh-ro.pdf")
    page.click("text=Gửi giấy tờ bổ sung")
    page.wait_for_selector("text=giay-chung-sinh-ro.pdf (bổ sung)")
    assert page.locator("text=Gửi giấy tờ bổ sung").count() == 0
    with outside_playwrights_loop():
        followed.supplement.refresh_from_db()
        assert followed.supplement.status != "awaiting_supplement"
        assert followed.supplement.documents.filter(is_supplement=True, name="giay-chung-sinh-ro.pdf").exists()

    # Fees paid online: the gateway's page opens in Zalo's webview.
    tab(page, "Hồ sơ")
    page.click(f"li:has-text('{followed.owing.code}') >> a")
    screen(page, "Chi tiết hồ sơ", axe_script, "dossier owing fees")
    page.click("text=Thanh toán trực tuyến 16.000 đ")
    page.wait_for_function("window.__zaloCalls.some(c => c[0] === 'openWebview')")
    url = next(args["url"] for name, args in page.evaluate("window.__zaloCalls") if name == "openWebview")
    assert url.startswith("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?") and "vnp_Amount=1600000" in url
    page.click("button:has-text('Rút hồ sơ')")
    page.fill("#withdraw-reason", "Nộp nhầm thủ tục")
    assert_accessible(page, axe_script, "withdraw")
    page.click("text=Xác nhận rút hồ sơ")
    page.wait_for_selector("#dossier-status:has-text('rút')")
    with outside_playwrights_loop():
        followed.owing.refresh_from_db()
        assert followed.owing.status == "withdrawn"

    # The returned dossier's survey.
    tab(page, "Hồ sơ")
    page.click(f"li:has-text('{returned.code}') >> a")
    screen(page, "Chi tiết hồ sơ", axe_script, "returned dossier")
    for fieldset in page.locator("fieldset.rating").all():
        fieldset.locator("label").first.click()
    page.click("text=Gửi đánh giá")
    page.wait_for_selector("text=Cảm ơn bạn đã đánh giá.")
    with outside_playwrights_loop():
        assert SurveyResponse.objects.get(dossier_id=returned.pk).overall == 5
