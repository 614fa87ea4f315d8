"""Messages the national portal sends to the province, built as the portal would (its DongBoHoSoMC object)."""

import base64
import json

from motcua.adapters import national_portal as portal
from motcua.documents.tests.samples import pdf

TOKEN = "portal-test-token-123"
API = "/api/v1/national-portal"
CODE = "000.00.00.H19-261130-0042"
SLOTS = ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")


def inline_file(slot: str, content: bytes | None = None) -> dict[str, str]:
    return {"TepDinhKemId": f"id-{slot}", "TenTepDinhKem": f"{slot}.pdf", "MaThanhPhanHoSo": slot,
            "IsDeleted": "False", "Base64": base64.b64encode(content if content is not None else pdf(slot)).decode()}


def url_file(slot: str, url: str) -> dict[str, str]:
    return {"TepDinhKemId": f"id-{slot}", "TenTepDinhKem": f"{slot}.pdf", "MaThanhPhanHoSo": slot,
            "IsDeleted": "False", "DuongDanTaiTepTin": url}


def dossier_item(**overrides):
    item = {
        "MaHoSo": CODE, "MaTTHC": "1.001193", "TenTTHC": "Đăng ký khai sinh", "MaLinhVuc": "G09-TP03",
        "TenLinhVuc": "Hộ tịch", "ChuHoSo": "Lê Thị Cúc", "LoaiDoiTuong": "1", "MaDoiTuong": "075195001111",
        "SoDienThoai": "0909123456", "Email": "cuc@example.vn", "NgayTiepNhan": "20261130083000",
        "NgayHenTra": "", "TrangThaiHoSo": "1", "HinhThuc": "0", "DonViXuLy": "UBND phường Trấn Biên",
        "TaiLieuNop": [inline_file(slot) for slot in SLOTS],
    }
    item.update(overrides)
    return item


def wrapped(agency_code: str, **overrides):
    return portal.build_inbound_dossier_request(agency_code, dossier_item(**overrides))


def post(client, path, body, token=TOKEN, **headers):
    data = body if isinstance(body, bytes | str) else json.dumps(body, ensure_ascii=False)
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return client.post(f"{API}{path}", data, content_type="application/json", **extra, **headers)
