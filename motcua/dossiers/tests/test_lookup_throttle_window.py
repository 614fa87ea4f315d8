"""The look-up limit (per client address) ends with its window, on the web page and in the API."""

from django.test import override_settings
from django.urls import reverse

from motcua.dossiers.selectors import lookup_path
from motcua.dossiers.tests.helpers import at, land_dossier


@override_settings(MOTCUA_LOOKUP_RATE="3/m")
def test_the_lookup_limit_resets_after_its_window(client, demo_catalog, demo_agencies, clerk, rate_clock):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    api = "/api/v1/dossiers/lookup"
    codes = [client.get(api, {"code": f"X-{i}", "secret": "AAAAAAAAAA"}).status_code for i in range(3)]
    assert codes == [404] * 3
    throttled = client.get(api, {"code": dossier.code, "secret": dossier.lookup_secret})
    assert throttled.status_code == 429
    body = throttled.json()
    assert body["code"] == "throttled" and body["message_vi"] and body["message_en"]
    page = client.get(lookup_path(dossier))
    assert page.status_code == 429
    # Another client address has its own allowance.
    assert client.get(lookup_path(dossier), REMOTE_ADDR="10.1.2.3").status_code == 200
    rate_clock.advance(61)
    assert client.get(api, {"code": dossier.code, "secret": dossier.lookup_secret}).status_code == 200
    assert client.get(reverse("dossiers:lookup_detail", args=[dossier.code]),
                      {"s": dossier.lookup_secret}).status_code == 200
