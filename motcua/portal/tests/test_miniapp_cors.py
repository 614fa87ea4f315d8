"""The Zalo Mini App calls the API from Zalo's origin: only the origins configured (MOTCUA_MINIAPP_ORIGINS) may, on
the app's endpoints, with bearer tokens (no cookies), the Idempotency-Key header allowed; nothing else is opened."""

ZALO = "https://h5.zdn.vn"


def preflight(client, path, origin=ZALO):
    return client.options(path, HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
                          HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, idempotency-key")


def test_the_configured_origin_may_call_the_app_endpoints(client, db, settings):
    settings.CORS_ALLOWED_ORIGINS = [ZALO]
    answer = preflight(client, "/api/v1/me/dossiers")
    assert answer["Access-Control-Allow-Origin"] == ZALO
    assert "idempotency-key" in answer["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in answer
    listed = client.get("/api/v1/catalog/procedures", HTTP_ORIGIN=ZALO)
    assert listed.status_code == 200 and listed["Access-Control-Allow-Origin"] == ZALO
    assert preflight(client, "/api/v1/auth/zalo")["Access-Control-Allow-Origin"] == ZALO


def test_other_origins_and_other_endpoints_are_not_opened(client, db, settings):
    settings.CORS_ALLOWED_ORIGINS = [ZALO]
    assert "Access-Control-Allow-Origin" not in preflight(client, "/api/v1/me/dossiers", "https://evil.example")
    for path in ("/api/v1/auth/zalo/link", "/api/v1/national-portal/dossiers", "/tra-cuu/"):
        assert "Access-Control-Allow-Origin" not in preflight(client, path), path
    settings.CORS_ALLOWED_ORIGINS = []  # the default: none
    assert "Access-Control-Allow-Origin" not in preflight(client, "/api/v1/me/dossiers")
