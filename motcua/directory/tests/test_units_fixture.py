"""The shipped 2025 administrative units: counts, effective dates, succession from the 63-province map."""

import datetime as dt

import pytest

from motcua.directory.models import AdministrativeUnit, UnitLevel
from motcua.directory.units import load_units, read_fixture, successors_of

pytestmark = pytest.mark.django_db


def test_current_map_has_34_provinces_and_3321_communes():
    current = AdministrativeUnit.objects.current()
    assert current.filter(level=UnitLevel.PROVINCE).count() == 34
    assert current.filter(level=UnitLevel.COMMUNE).count() == 3321
    kinds = {k: current.filter(level=UnitLevel.COMMUNE, unit_type=k).count() for k in ("Xã", "Phường", "Đặc khu")}
    assert kinds == {"Xã": 2621, "Phường": 687, "Đặc khu": 13}


def test_old_map_is_kept_with_its_end_date():
    before = AdministrativeUnit.objects.valid_on(dt.date(2025, 6, 30))
    assert before.filter(level=UnitLevel.PROVINCE).count() == 63
    assert before.filter(level=UnitLevel.DISTRICT).exists()
    after = AdministrativeUnit.objects.valid_on(dt.date(2025, 7, 1))
    assert after.filter(level=UnitLevel.PROVINCE).count() == 34
    assert not after.filter(level=UnitLevel.DISTRICT).exists()


def test_binh_phuoc_and_old_dong_nai_became_dong_nai():
    old_binh_phuoc = AdministrativeUnit.objects.get(level=UnitLevel.PROVINCE, code="70", valid_to__isnull=False)
    assert [u.name for u in successors_of(old_binh_phuoc)] == ["Tỉnh Đồng Nai"]
    dong_nai = AdministrativeUnit.objects.current().get(level=UnitLevel.PROVINCE, code="75")
    old_names = sorted(s.predecessor.name for s in dong_nai.predecessions.all())
    assert old_names == ["Tỉnh Bình Phước", "Tỉnh Đồng Nai"]


def test_every_old_commune_has_a_successor_and_split_ones_have_one_default():
    old_communes = AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE, valid_to__isnull=False)
    assert not old_communes.filter(successions__isnull=True).exists()
    for unit in old_communes.filter(successions__kind="part").distinct()[:200]:
        defaults = [s for s in unit.successions.all() if s.is_default]
        assert len(defaults) == 1, unit


def test_island_district_became_a_special_zone():
    con_dao = AdministrativeUnit.objects.get(level=UnitLevel.DISTRICT, name="Huyện Côn Đảo")
    assert [(u.name, u.unit_type) for u in successors_of(con_dao)] == [("Đặc khu Côn Đảo", "Đặc khu")]


def test_loading_twice_creates_nothing():
    report = load_units()
    assert (report.units_created, report.successions_created) == (0, 0)


def test_fixture_notes_its_source_and_agrees_with_the_package():
    from motcua.directory.units_source import build_fixture

    shipped = read_fixture()
    assert shipped["source"].startswith("vietnamadminunits 1.0.4")
    rebuilt = build_fixture()
    for key in ("provinces", "communes", "legacy_provinces", "legacy_districts", "legacy_communes",
                "province_successions", "commune_successions", "district_successions"):
        assert shipped[key] == rebuilt[key], key


def test_search_text_folds_diacritics():
    unit = AdministrativeUnit.objects.current().get(level=UnitLevel.COMMUNE, code="26041")
    assert unit.name == "Phường Trấn Biên"
    assert AdministrativeUnit.objects.current().filter(search_text__contains="tran bien", code="26041").exists()
