"""Whatever a visitor types into a public GET form (or its address), the answer is never a server error: a page,
a redirect, or a 4xx that says what went wrong in Vietnamese. The look-up form's redirect carries the secret
URL-encoded, so it reaches the dossier's page exactly as typed."""

from urllib.parse import parse_qs, quote_from_bytes, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.dossiers.tests.helpers import at, land_dossier

VIETNAMESE = set("ăâđêôơưạảãáàấầẩẫậắằẳẵặẹẻẽéèếềểễệịỉĩíìọỏõóòốồổỗộớờởỡợụủũúùứừửữựỵỷỹýỳ")

# What a visitor or an attacker might type: anything printable, reserved URL characters, bytes that are not
# UTF-8, control characters and NUL, and long runs.
_tricky = st.sampled_from(["/", "a/b", "%", "%zz", "%2F", "?", "#", "&", "=", "+", " ", "..", "\\", "'", '"', "<",
                           "\x00", "\r\n", "\ufeff", "\u202e", "Đ", "x" * 5000])
values = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=80).map(str.encode),
    st.binary(max_size=40),
    st.lists(_tricky, max_size=4).map(lambda parts: "".join(parts).encode()),
)


def q(value: bytes) -> str:
    return quote_from_bytes(value, safe="")


# (name, function of two encoded values → the address asked for)
FORMS = [
    ("look-up form", lambda a, b: f"/tra-cuu/?ma={a}&s={b}"),
    ("look-up page", lambda a, b: f"/tra-cuu/{a}/?s={b}"),
    ("look-up API", lambda a, b: f"/api/v1/dossiers/lookup?code={a}&secret={b}"),
    ("catalog search", lambda a, b: f"/thu-tuc/?q={a}&field={b}&agency={a}&level={b}&page={a}"),
    ("procedure page", lambda a, b: f"/thu-tuc/{a}/?{b}"),
    ("verify page", lambda a, b: f"/xac-thuc/?{a}={b}"),
    ("verify code", lambda a, b: f"/xac-thuc/{a}/"),
    ("payment page", lambda a, b: f"/thanh-toan/{a}/?s={b}"),
    ("receipt", lambda a, b: f"/thanh-toan/{a}/bien-lai/{b}/?s={b}"),
    ("VNPay return", lambda a, b: f"/thanh-toan/vnpay/ket-qua/?vnp_TxnRef={a}&vnp_SecureHash={b}"),
    ("sign-in", lambda a, b: f"/dang-nhap/?next={a}"),
    ("staff sign-in", lambda a, b: f"/mot-cua/dang-nhap/?next={b}"),
]


@pytest.fixture
def dossier(demo_catalog, demo_agencies, clerk, settings):
    settings.MOTCUA_LOOKUP_RATE = "100000/m"  # the fuzzing is not an enumeration to throttle
    return land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))


def _says_it_in_vietnamese(response) -> bool:
    if response["Content-Type"].startswith("application/json"):
        text = str(response.json().get("message_vi", "")).lower()
    else:
        text = response.content.decode("utf-8", "replace").lower()
    return bool(VIETNAMESE & set(text))


@pytest.mark.parametrize(("name", "address"), FORMS, ids=[name for name, _ in FORMS])
def test_no_input_to_a_public_form_is_a_server_error(client, dossier, name, address):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(a=values, b=values)
    def check(a: bytes, b: bytes) -> None:
        response = client.get(address(q(a), q(b)))
        assert response.status_code < 500, (name, a, b)
        if 400 <= response.status_code < 500:
            assert _says_it_in_vietnamese(response), (name, a, b, response.status_code, response.content[:300])

    check()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=60),
       secret=st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=40))
def test_the_look_up_redirect_carries_the_secret_encoded(client, dossier, code, secret):
    response = client.get("/tra-cuu/", {"ma": code, "s": secret})
    assert response.status_code in (302, 200, 404), response.status_code
    if response.status_code == 302:
        target = urlsplit(response["Location"])
        assert parse_qs(target.query, keep_blank_values=True) == {"s": [secret.strip()]}


def test_a_code_with_a_slash_is_not_found_not_a_server_error(client, dossier):
    response = client.get("/tra-cuu/", {"ma": "a/b", "s": "x"})
    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này." in response.content.decode()


def test_the_look_up_form_still_finds_the_dossier_with_a_secret_typed_loosely(client, dossier):
    secret = dossier.lookup_secret
    response = client.get("/tra-cuu/", {"ma": dossier.code.lower(), "s": f"{secret[:5].lower()}-{secret[5:]}&x"})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query) == {"s": [f"{secret[:5].lower()}-{secret[5:]}&x"]}
    typed_exactly = client.get("/tra-cuu/", {"ma": dossier.code.lower(), "s": f" {secret[:5].lower()}-{secret[5:]}"})
    assert client.get(typed_exactly["Location"]).status_code == 200


@pytest.mark.parametrize("address", ["/tra-cuu/?ma=a%00&s=x", "/thanh-toan/KHONG-CO/?s=x", "/tra-cuu//?s=x"],
                         ids=["NUL", "unknown dossier", "no route"])
def test_a_refusal_speaks_one_language_the_visitors(client, dossier, address):
    from django.conf import settings as django_settings

    def message(response) -> str:
        """The text/plain answer, or the page's main content (its header has the language switch)."""
        text: str = response.content.decode()
        return text.split('<main id="main"', 1)[-1].split("</main>", 1)[0]

    vietnamese = client.get(address)
    assert vietnamese.status_code in (400, 404)
    text = message(vietnamese)
    assert VIETNAMESE & set(text.lower()) and "The request" not in text and "not found" not in text.lower()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(address)
    assert english.status_code == vietnamese.status_code
    text = message(english)
    assert not VIETNAMESE & set(text.lower())
    assert "The request contains a NUL character." in text or "Page not found" in text
