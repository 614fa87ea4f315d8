"""The e-form filled from the land database, and the flags for the clerk: the applicant or the declared land user
not a holder, and each restriction (blocking or a warning, by MOTCUA_LAND_BLOCKING_RESTRICTIONS)."""

import pytest

from motcua.land import rules
from motcua.land.tests.helpers import AN_ID, BINH_ID, info_form, transfer_form
from simulators.land_registry import demo_parcels

PARCELS = {p.number: p for p in demo_parcels()}


def codes(flags):
    return [(f.code, f.severity) for f in flags]


def test_the_holder_selling_a_clean_parcel_raises_nothing():
    assert rules.flags_for(rules.TRANSFER, PARCELS["345"], applicant_id=BINH_ID, form_data=transfer_form()) == []


def test_the_buyer_may_file_the_transfer():
    assert rules.flags_for(rules.TRANSFER, PARCELS["345"], applicant_id=AN_ID, form_data=transfer_form()) == []


def test_a_seller_who_is_not_a_holder_blocks_and_a_stranger_filing_is_warned():
    form = transfer_form(seller=("Nguyễn Văn An", AN_ID), buyer=("Lê Thị Hoa", "075300000001"))
    flags = rules.flags_for(rules.TRANSFER, PARCELS["345"], applicant_id="079000000009", form_data=form)
    assert codes(flags) == [("named_not_holder", "block"), ("applicant_not_holder", "warn")]
    assert "Trần Thị Bình (075195004321)" in flags[0].vi  # the land database's holder is named to the clerk


@pytest.mark.parametrize(("number", "expected"), [
    ("346", [("restriction_the_chap", "warn")]),
    ("347", [("restriction_tranh_chap", "block")]),
    ("348", [("restriction_ke_bien", "block")]),
])
def test_restrictions(number, expected):
    parcel = PARCELS[number]
    holder = parcel.holders[0]
    form = info_form(holder=(holder.name, holder.id_number))
    flags = rules.flags_for(rules.HOLDER_INFO, parcel, applicant_id=holder.id_number, form_data=form)
    assert codes(flags) == expected
    assert parcel.restrictions[0].party in flags[0].vi


def test_which_restrictions_block_is_a_setting(settings):
    settings.MOTCUA_LAND_BLOCKING_RESTRICTIONS = ["the_chap"]
    parcel = PARCELS["346"]
    flags = rules.flags_for(rules.HOLDER_INFO, parcel, applicant_id=AN_ID, form_data={})
    assert codes(flags) == [("restriction_the_chap", "block")]


def test_the_form_fills_from_the_parcel_and_keeps_what_was_written():
    form = {"thua_dat": {"so_phat_hanh_gcn": "DN 012346"}, "ben_nhan_chuyen_nhuong": {"ho_ten": "Lê Thị Hoa"},
            "hop_dong": {"so_cong_chung": "77"}}
    filled = rules.filled_form(rules.TRANSFER, PARCELS["346"], form)
    assert filled["thua_dat"] == {"so_thua": "346", "to_ban_do": "12", "so_phat_hanh_gcn": "DN 012346",
                                  "dia_chi_thua": PARCELS["346"].address, "dien_tich": 95}
    assert filled["ben_chuyen_nhuong"]["so_dinh_danh"] == AN_ID  # the holder, from the land database
    assert filled["ben_nhan_chuyen_nhuong"] == {"ho_ten": "Lê Thị Hoa"}
    assert filled["hop_dong"] == {"so_cong_chung": "77"}
    assert form["thua_dat"] == {"so_phat_hanh_gcn": "DN 012346"}  # the caller's data is not changed
    declared = rules.filled_form(rules.HOLDER_INFO, PARCELS["345"], {"nguoi_su_dung_dat": {"so_dinh_danh": AN_ID}})
    assert declared["nguoi_su_dung_dat"] == {"so_dinh_danh": AN_ID}  # a declared person is not overwritten
    assert rules.filled_form(rules.HOLDER_INFO, PARCELS["345"], {})["thua_dat"]["dien_tich"] == 120.5


def test_the_parcel_key_of_an_e_form(settings):
    assert rules.parcel_key_of(transfer_form()).certificate_serial == "DN 012345"
    by_number = {"thua_dat": {"so_thua": "0345", "to_ban_do": "12", "ma_xa": "26041"}}
    assert (rules.parcel_key_of(by_number).commune_code, rules.parcel_key_of(by_number).number) == ("26041", "345")
    assert rules.parcel_key_of({"thua_dat": {"so_thua": "345", "to_ban_do": "12"}}) is None  # which commune?
    settings.MOTCUA_LAND_DEFAULT_COMMUNE = "26041"
    assert rules.parcel_key_of({"thua_dat": {"so_thua": "345", "to_ban_do": "12"}}).sheet == "12"
    assert rules.parcel_key_of({"thua_dat": "nonsense"}) is None
