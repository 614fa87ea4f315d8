"""Shortcuts for the back-office tests: local times, signed-in clients, what a clerk posts at intake."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.test import Client

from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant, Upload
from motcua.dossiers.models import Channel
from motcua.dossiers.tests.helpers import LAND_FORM, LAND_PAPERS

VN = ZoneInfo("Asia/Ho_Chi_Minh")
BIRTH_FORM = {
    "tre": {"ho_ten": "Nguyễn Minh Khôi", "gioi_tinh": "nam", "ngay_sinh": "2026-11-18", "noi_sinh": "Đồng Nai"},
    "me": {"ho_ten": "Lê Thị Hồng", "so_dinh_danh": "075196002222"},
    "nguoi_yeu_cau": {"ho_ten": "Nguyễn Văn An", "so_dinh_danh": "075090001234"},
}
# Wednesday 02/12/2026 10:00, a working day with nothing special about it.
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=VN)


def local(year, month, day, hour=9, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def land_intake_post(agencies, **overrides):
    """What a clerk posts for a land transfer received at the provincial service centre."""
    data = {
        "idempotency_key": "0123456789abcdef0123456789abcdef",
        "receiving_agency": str(agencies["service_center"].pk),
        "competent_agency": str(agencies["land_office"].pk),
        "channel": "counter", "postal_tracking": "", "return_method": "counter",
        "name": "Trần Thị Bình", "id_number": "075195004321", "phone": "0987654321", "email": "", "address": "",
    }
    for group, values in LAND_FORM.items():
        for key, value in values.items():
            data[f"{group}__{key}"] = value
    for code in LAND_PAPERS:
        data[f"paper__{code}"] = "1"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def online_birth(catalog, agency, citizen, when):
    """A birth registration submitted online to AGENCY, awaiting receipt."""
    return actions.submit_dossier(
        procedure=catalog["1.001193"], channel=Channel.ONLINE, applicant=Applicant(name="Nguyễn Văn An"),
        competent_agency=agency, actor=citizen, form_data=BIRTH_FORM, at=when,
        uploads=[Upload(code, f"{code}.pdf", b"%PDF-1.4") for code in
                 ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")],
    )
