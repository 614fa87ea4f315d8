"""The EMC monitoring snippet: nothing rendered and the policy unchanged when it is off; when on, one external
script with the site code in a data attribute on public pages (not on staff pages), its origin allowed by the
Content-Security-Policy, a bad URL refused."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from motcua.core.emc import policy_with_origin, script_origin
from motcua.core.tests.test_security_headers import inline_code

pytestmark = pytest.mark.django_db
SCRIPT = "https://emc.example.gov.vn/static/emc.js"


def test_nothing_is_rendered_when_it_is_off(client, settings):
    assert settings.MOTCUA_EMC_SCRIPT_URL == ""
    for page in (reverse("home"), reverse("catalog:list"), reverse("dossiers:lookup")):
        response = client.get(page)
        assert b"emc-script" not in response.content and b"data-site-id" not in response.content
        assert response["Content-Security-Policy"] == settings.MOTCUA_CSP


def test_public_pages_load_the_snippet_and_the_policy_allows_its_origin(client, settings, clerk):
    settings.MOTCUA_EMC_SCRIPT_URL, settings.MOTCUA_EMC_SITE_ID = SCRIPT, "DNI-0042"
    for page in (reverse("home"), reverse("catalog:list"), reverse("dossiers:lookup"), reverse("portal:login")):
        response = client.get(page)
        body = response.content.decode()
        assert f'<script id="emc-script" src="{SCRIPT}" data-site-id="DNI-0042" async></script>' in body, page
        assert inline_code(body) == [], page
        policy = response["Content-Security-Policy"]
        assert "script-src 'self' https://emc.example.gov.vn;" in policy
        assert "connect-src 'self' https://emc.example.gov.vn;" in policy
        assert "img-src 'self' data: https://emc.example.gov.vn;" in policy
        assert "unsafe-inline" not in policy and "object-src 'none'" in policy
    client.force_login(clerk)
    staff_page = client.get(reverse("backoffice:home"))
    assert staff_page.status_code == 200 and b"emc-script" not in staff_page.content


def test_the_site_code_is_escaped(client, settings):
    settings.MOTCUA_EMC_SCRIPT_URL, settings.MOTCUA_EMC_SITE_ID = SCRIPT, '"><script>alert(1)</script>'
    body = client.get(reverse("home")).content.decode()
    assert "<script>alert(1)" not in body and "data-site-id=\"&quot;&gt;&lt;script&gt;" in body


def test_the_policy_gains_the_origin_only_where_needed():
    policy = "default-src 'self'; script-src 'self'; object-src 'none'"
    widened = policy_with_origin(policy, "https://emc.vn")
    assert widened == ("default-src 'self'; script-src 'self' https://emc.vn; object-src 'none'; "
                       "connect-src 'self' https://emc.vn; img-src 'self' https://emc.vn")
    assert policy_with_origin(widened, "https://emc.vn") == widened
    assert policy_with_origin("default-src 'none'; script-src 'none'", "https://emc.vn") == (
        "default-src 'none'; script-src https://emc.vn; connect-src https://emc.vn; img-src https://emc.vn")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//emc.vn/x.js", "https://u:p@emc.vn/x.js",
                                 "https://emc.vn/x.js; script-src *", "ftp://emc.vn/x.js"])
def test_a_bad_script_url_is_refused(url):
    with pytest.raises(ImproperlyConfigured):
        script_origin(url)
    assert script_origin("http://127.0.0.1:8303/emc.js") == "http://127.0.0.1:8303"
