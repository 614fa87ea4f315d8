"""The home page (search, most used procedures, look-up, sign-in), signing out, and the fees a citizen sees."""

import re

from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant, Upload, submit_dossier
from motcua.dossiers.models import Channel
from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.dossiers.tests.test_deadlines import BIRTH_FORM
from motcua.payments.invoices import create_invoice
from motcua.portal.tests.test_assurance_level import signed_in_at


def test_the_home_page_searches_looks_up_and_signs_in(client, demo_catalog, demo_agencies, clerk, settings):
    settings.MOTCUA_OIDC_PROVIDERS = {**settings.MOTCUA_OIDC_PROVIDERS, "vneid": {
        **settings.MOTCUA_OIDC_PROVIDERS["vneid"], "label": "VNeID",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration", "client_id": "motcua"}}
    # Two dossiers of the land procedure received, one of building permits: the land one comes first.
    land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 12, 1))
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'<form method="get" action="/thu-tuc/"[^>]*>.*?name="q"', page, re.S)
    assert re.search(r'<form method="get" action="/tra-cuu/">.*?name="ma".*?name="s"', page, re.S)
    popular = page.split('id="home-popular"', 1)[1].split("</section>", 1)[0]
    assert reverse("catalog:detail", args=["1.013831"]) in popular
    assert reverse("catalog:detail", args=["1.001193"]) not in popular  # never used: not "most used"
    assert reverse("identity:oidc_login", args=["vneid"]) in page and "VNeID" in page
    assert reverse("portal:login") in page


def test_no_identity_button_without_a_provider(client, db, settings):
    settings.MOTCUA_OIDC_PROVIDERS = {"vneid": {"label": "VNeID"}}
    page = client.get("/").content.decode()
    assert "/dinh-danh/" not in page and reverse("portal:login") in page


def test_a_signed_in_citizen_signs_out(client, citizen):
    client.force_login(citizen)
    page = client.get(reverse("catalog:list")).content.decode()
    form = re.search(r'<form class="sign-out" action="([^"]+)" method="post">(.*?)</form>', page, re.S)
    assert form and form[1] == reverse("portal:logout") and "csrfmiddlewaretoken" in form[2]
    client.post(form[1])
    assert "_auth_user_id" not in client.session
    assert 'class="sign-out"' not in client.get(reverse("catalog:list")).content.decode()


def test_the_wizard_shows_the_fees_before_submitting(client, citizen, demo_catalog, demo_agencies):
    signed_in_at(client, citizen, 2)  # land transfer: a level 2 VNeID sign-in
    first = client.get(reverse("portal:apply_page", args=["1.013831", 0])).content.decode()
    # the land procedure: appraisal fee at the online rate (427.500) and the certificate fee waived online
    assert "Phí thẩm định hồ sơ" in first and "427.500" in first
    assert "Theo thông báo của cơ quan có thẩm quyền" in first  # tax: notified later
    check = client.get(reverse("portal:apply_check", args=["1.013831"])).content.decode()
    assert "427.500" in check and 'id="fees-title"' in check
    one_page = client.get(reverse("portal:submit", args=["1.013831"])).content.decode()
    assert "427.500" in one_page


def test_the_confirmation_and_my_dossier_show_what_is_owed_with_the_payment_link(
        client, citizen, demo_catalog, demo_agencies, other_clerk):
    dossier = submit_dossier(
        procedure=demo_catalog["1.001193"], channel=Channel.ONLINE, applicant=Applicant(name="Nguyễn Văn An"),
        competent_agency=demo_agencies["tran_bien"], actor=citizen, form_data=BIRTH_FORM,
        uploads=[Upload(c, f"{c}.pdf", b"%PDF") for c in ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")],
    )
    client.force_login(citizen)
    pay = reverse("payments:dossier", args=[dossier.code])
    before = client.get(reverse("portal:submitted", args=[dossier.code])).content.decode()
    assert 'id="fees-title"' in before and pay not in before  # nothing invoiced yet: no payment link
    dossier = actions.receive_dossier(dossier, actor=other_clerk)
    create_invoice(dossier, actor=other_clerk, quantities={1: 2})  # two extra copies of the birth certificate
    for url in (reverse("portal:submitted", args=[dossier.code]), reverse("portal:my_dossier", args=[dossier.code])):
        page = client.get(url).content.decode()
        assert "16.000" in page
        assert re.search(rf'<a class="button" href="{re.escape(pay)}">Thanh toán trực tuyến</a>', page)


def test_the_public_look_up_links_to_payment_with_the_look_up_code(client, db, demo_catalog, demo_agencies, clerk):
    from motcua.dossiers.selectors import lookup_path

    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    create_invoice(dossier, actor=clerk)
    page = client.get(lookup_path(dossier), follow=True).content.decode()
    pay = f'{reverse("payments:dossier", args=[dossier.code])}?s={dossier.lookup_secret}'
    assert f'<a class="button" href="{pay}">Thanh toán trực tuyến</a>' in page
    assert client.get(pay).status_code == 200  # the link works without signing in
