"""Public look-up: by code and secret or QR; unknown code and wrong secret look the same; throttled."""

import datetime as dt
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import lookup_path
from motcua.dossiers.tests.helpers import at, land_dossier


@pytest.fixture
def dossier(demo_catalog, demo_agencies, clerk):
    return land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))


def test_qr_link_shows_status_and_public_timeline(client, dossier):
    page = client.get(lookup_path(dossier))
    assert page.status_code == 200
    text = page.content.decode()
    assert dossier.code in text and "Trần T** B***" in text and "Trần Thị Bình" not in text
    assert "10/12/2026" in text  # the appointment
    assert page["Cache-Control"] == "no-store"


def test_form_redirects_to_the_dossier(client, dossier):
    response = client.get(reverse("dossiers:lookup"), {"ma": dossier.code.lower(), "s": dossier.lookup_secret})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_wrong_secret_and_unknown_code_give_the_same_answer(client, dossier):
    wrong = client.get(reverse("dossiers:lookup_detail", args=[dossier.code]), {"s": "AAAAAAAAAA"})
    unknown = client.get(reverse("dossiers:lookup_detail", args=["000.00.01.H19-261130-9999"]), {"s": "AAAAAAAAAA"})
    empty = client.get(reverse("dossiers:lookup_detail", args=[dossier.code]))
    assert wrong.status_code == unknown.status_code == empty.status_code == 404
    def normalised(response, code):
        """The page without its CSRF token and the code the visitor typed (echoed back in the form)."""
        without_token = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)
        return without_token.replace(f'value="{code}"'.encode(), b"").replace(f"/tra-cuu/{code}/".encode(), b"")

    assert normalised(wrong, dossier.code) == normalised(unknown, "000.00.01.H19-261130-9999")


def test_api_lookup(client, dossier):
    url = "/api/v1/dossiers/lookup"
    found = client.get(url, {"code": dossier.code, "secret": dossier.lookup_secret})
    assert found.status_code == 200
    body = found.json()
    assert body["status"] == "received" and body["procedure_code"] == "1.013831"
    assert [e["status"] for e in body["events"]] == ["received"]
    wrong = client.get(url, {"code": dossier.code, "secret": "AAAAAAAAAA"})
    unknown = client.get(url, {"code": "NOPE", "secret": "AAAAAAAAAA"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def test_api_lookup_answers_from_one_narrow_query(client, dossier, django_assert_max_num_queries):
    """Typed in lower case, with spaces and a dash in the secret, it still finds the dossier; the answer carries
    the appointment and each public event's agency, and takes one query (the public events beside their
    dossier's columns) by the unique code, never a scan of the table."""
    secret = dossier.lookup_secret
    with django_assert_max_num_queries(1):
        found = client.get("/api/v1/dossiers/lookup",
                           {"code": f" {dossier.code.lower()} ", "secret": f"{secret[:5].lower()}-{secret[5:]} "})
    assert found.status_code == 200
    body = found.json()
    assert body["code"] == dossier.code and body["applicant"] == "Trần T** B***"
    assert body["status_label"] == "Đã tiếp nhận"  # Vietnamese first
    assert body["due_at"].startswith("2026-12-10")
    assert body["events"][0]["agency"] == dossier.current_agency.name


@override_settings(MOTCUA_LOOKUP_RATE="5/m")
def test_enumeration_is_throttled(client, dossier, rate_clock):
    codes = [client.get(reverse("dossiers:lookup_detail", args=[f"X-{i}"]), {"s": "AAAAAAAAAA"}).status_code
             for i in range(7)]
    assert codes == [404] * 5 + [429] * 2
    # Even the right secret is refused until the window passes.
    assert client.get(lookup_path(dossier)).status_code == 429
    assert client.get("/api/v1/dossiers/lookup", {"code": "X", "secret": "Y"}).status_code == 429


def test_secret_has_at_least_40_bits(dossier):
    import math

    from motcua.dossiers.codes import _SECRET_ALPHABET, SECRET_LENGTH

    assert SECRET_LENGTH * math.log2(len(set(_SECRET_ALPHABET))) >= 40
    assert len(dossier.lookup_secret) == SECRET_LENGTH


def test_api_lookup_times_are_the_stored_ones(client, dossier):
    """The look-up reads its columns without the ORM: its times must still be the stored instants (SQLite hands
    back text in UTC), and an extended appointment replaces the first one."""
    extended = dossier.due_at + dt.timedelta(days=3, minutes=7)
    Dossier.objects.filter(pk=dossier.pk).update(extended_due_at=extended)
    body = client.get("/api/v1/dossiers/lookup", {"code": dossier.code, "secret": dossier.lookup_secret}).json()
    assert dt.datetime.fromisoformat(body["received_at"]) == dossier.received_at
    assert dt.datetime.fromisoformat(body["due_at"]) == extended
    first = dossier.events.order_by("seq").first()
    assert dt.datetime.fromisoformat(body["events"][0]["time"]) == first.created_at
    assert body["events"][0]["status"] == first.to_status
