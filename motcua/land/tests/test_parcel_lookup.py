"""Parcel look-up in the land database both ways (commune + map sheet + parcel number, certificate serial), through
the integration layer (evidence kept), against the simulator; and what happens when it is down or answers badly."""

import json
import urllib.request
from decimal import Decimal

import pytest

from motcua.adapters import land_registry as adapter
from motcua.adapters.land_registry import ParcelKey
from motcua.integrations import land_registry as service
from motcua.integrations.models import CallRecord

pytestmark = pytest.mark.django_db


def faults(sim, **changes):
    request = urllib.request.Request(  # noqa: S310 - the test's own simulator
        f"{sim.url}/_faults", data=json.dumps(changes).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 - the test's own simulator
        return json.loads(answer.read())


def test_by_commune_sheet_and_parcel_number(land_sim):
    parcel = service.find_parcel(ParcelKey(commune_code="26041", sheet="012", number="345"))
    assert parcel is not None
    assert (parcel.certificate_serial, parcel.area, parcel.use_purpose, parcel.use_term) == (
        "DN 012345", Decimal("120.5"), "ODT", "Lâu dài")
    assert [(h.name, h.id_number) for h in parcel.holders] == [("Trần Thị Bình", "075195004321")]
    assert parcel.restrictions == ()
    record = CallRecord.objects.filter(system="dat_dai").latest("pk")
    assert (record.operation, record.status_code, record.error) == ("TraCuuThuaDat", 200, "")


def test_by_certificate_serial_with_restrictions(land_sim):
    mortgaged = service.find_parcel(ParcelKey(certificate_serial="dn012346"))  # typed loosely: normalised
    seized = service.find_parcel(ParcelKey(certificate_serial="DN 012348"))
    assert mortgaged is not None and seized is not None
    assert (mortgaged.number, [r.kind for r in mortgaged.restrictions]) == ("346", [adapter.MORTGAGE])
    assert "Ngân hàng" in mortgaged.restrictions[0].party
    assert (seized.number, [r.kind for r in seized.restrictions]) == ("348", [adapter.SEIZURE])
    assert land_sim.state.snapshot()["lookups"] == 2


def test_a_parcel_the_database_does_not_hold(land_sim):
    assert service.find_parcel(ParcelKey(commune_code="26041", sheet="12", number="999")) is None
    assert service.find_parcel(ParcelKey(certificate_serial="DN 999999")) is None


@pytest.mark.parametrize(("key", "field"), [
    (ParcelKey(certificate_serial="12345"), "certificate_serial"),
    (ParcelKey(commune_code="260", sheet="12", number="345"), "commune_code"),
    (ParcelKey(commune_code="26041", sheet="mười", number="345"), "sheet"),
    (ParcelKey(), "certificate_serial"),
])
def test_a_key_that_is_not_one_is_refused_before_any_call(land_sim, key, field):
    assert field in key.problems()
    with pytest.raises(ValueError):
        service.find_parcel(key)
    assert land_sim.state.snapshot()["lookups"] == 0


def test_down_timeout_5xx_and_malformed_answers_mean_unavailable(land_sim, settings):
    key = ParcelKey(certificate_serial="DN 012345")
    faults(land_sim, down=True)
    with pytest.raises(service.LandRegistryUnavailable):
        service.find_parcel(key)
    faults(land_sim, down=False, fail_next=2)  # both attempts of the call fail
    with pytest.raises(service.LandRegistryUnavailable):
        service.find_parcel(key)
    faults(land_sim, fail_next=1)  # the client's second attempt succeeds
    assert service.find_parcel(key) is not None
    faults(land_sim, malformed_next=1)
    with pytest.raises(service.LandRegistryUnavailable, match="malformed"):
        service.find_parcel(key)
    errors = list(CallRecord.objects.filter(system="dat_dai").exclude(error="").values_list("error", flat=True))
    assert len(errors) >= 5 and any("HTTP 503" in e for e in errors) and any("malformed" in e for e in errors)


def test_not_configured_means_unavailable(settings):
    settings.MOTCUA_INTEGRATION_SYSTEMS = {}
    with pytest.raises(service.LandRegistryUnavailable, match="not configured"):
        service.find_parcel(ParcelKey(certificate_serial="DN 012345"))


@pytest.mark.parametrize("code", [0, "0", "00"])
def test_the_envelope_accepts_every_success_code(code):
    parcel = adapter.parcel_to_message(adapter.Parcel("26041", "12", "345", "DN 012345", area=Decimal(10)))
    assert adapter.parse_lookup_answer({"error_code": code, "message": "", "result": [parcel]}) is not None


def test_a_refusal_and_broken_parcels_are_not_answers():
    with pytest.raises(adapter.LookupRefused):
        adapter.parse_lookup_answer({"error_code": -1, "message": "SoThua empty", "result": []})
    for broken in ({"MaXa": "26041", "SoTo": "12"}, {"MaXa": "1", "SoTo": "1", "SoThua": "1", "DienTich": "-3"},
                   {"MaXa": "1", "SoTo": "1", "SoThua": "1", "ChuSuDung": [{"SoDinhDanh": "1"}]}):
        with pytest.raises(adapter.LandRegistryMessageError):
            adapter.parse_lookup_answer({"error_code": 0, "result": [broken]})
