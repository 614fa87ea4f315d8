"""Shortcuts for dossier tests: local times and a land-transfer dossier received at the provincial counter."""

import datetime as dt
from zoneinfo import ZoneInfo

from motcua.dossiers.actions import Applicant, submit_dossier
from motcua.dossiers.models import Channel

VN = ZoneInfo("Asia/Ho_Chi_Minh")

LAND_FORM = {
    "ben_chuyen_nhuong": {"ho_ten": "Nguyễn Văn An", "so_dinh_danh": "075090001234"},
    "ben_nhan_chuyen_nhuong": {"ho_ten": "Trần Thị Bình", "so_dinh_danh": "075195004321"},
    "thua_dat": {"so_thua": "125", "to_ban_do": "18", "so_phat_hanh_gcn": "DA 123456"},
    "hop_dong": {"so_cong_chung": "4521", "ngay_cong_chung": "2026-11-20"},
}
LAND_PAPERS = ["don_dang_ky_bien_dong", "giay_chung_nhan", "hop_dong_chuyen_nhuong", "to_khai_tncn", "to_khai_lptb"]


def at(year, month, day, hour=9, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


def land_dossier(catalog, agencies, clerk, when, **overrides):
    kwargs = {
        "procedure": catalog["1.013831"],
        "channel": Channel.COUNTER,
        "applicant": Applicant(name="Trần Thị Bình", id_number="075195004321", phone="0987654321"),
        "competent_agency": agencies["land_office"],
        "receiving_agency": agencies["service_center"],
        "actor": clerk,
        "form_data": LAND_FORM,
        "paper_documents": LAND_PAPERS,
        "at": when,
    }
    kwargs.update(overrides)
    return submit_dossier(**kwargs)
