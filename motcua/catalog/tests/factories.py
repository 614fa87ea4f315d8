"""A valid exchange record to start tests from; each test changes what it is about."""

import copy
from typing import Any

BASE_RECORD: dict[str, Any] = {
    "national_code": "1.001193",
    "name": "Đăng ký khai sinh",
    "field_code": "ho_tich",
    "field_name": "Hộ tịch",
    "level": "commune",
    "service_level": "toan_trinh",
    "competent_authority": "Ủy ban nhân dân cấp xã",
    "competent_agencies": ["000.01.70.H19"],
    "statutory_days": "0",
    "statutory_unit": "working_days",
    "time_rule": "Ngay trong ngày tiếp nhận; sau 15 giờ thì trả trong ngày làm việc tiếp theo.",
    "fees": [{"name": "Lệ phí đăng ký khai sinh", "kind": "fixed", "amount": 0, "note": "Miễn lệ phí"}],
    "required_documents": [
        {"code": "to_khai", "name": "Tờ khai đăng ký khai sinh", "form": "original", "quantity": 1,
         "mandatory": True, "reusable": False},
        {"code": "giay_chung_sinh", "name": "Giấy chứng sinh", "form": "original", "quantity": 1,
         "mandatory": True, "reusable": False},
    ],
    "eform_schema": {"type": "object", "properties": {"ho_ten_tre": {"type": "string"}}, "required": ["ho_ten_tre"]},
    "result_type": "Giấy khai sinh",
    "legal_basis": ["Luật Hộ tịch số 60/2014/QH13"],
    "process_definition": {"steps": [
        {"key": "tiep_nhan", "name": "Tiếp nhận hồ sơ", "agency": "receiving", "role": "clerk", "days": "0",
         "actions": ["forward", "request_supplement", "refuse"]},
        {"key": "xu_ly", "name": "Kiểm tra, trình ký", "agency": "competent", "role": "specialist", "days": "0",
         "actions": ["forward", "send_back", "refuse"]},
        {"key": "ky", "name": "Ký giấy khai sinh, trả kết quả", "agency": "competent", "role": "leader", "days": "0",
         "actions": ["approve", "sign", "return_result", "send_back"]},
    ]},
    "source_url": "https://dichvucong.gov.vn/",
    "effective_from": "2025-07-01",
}


def record(**overrides: Any) -> dict[str, Any]:
    result = copy.deepcopy(BASE_RECORD)
    result.update(overrides)
    return result
