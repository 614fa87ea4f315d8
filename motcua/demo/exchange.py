"""The demo's dossier that waits for an agency outside motcua (docs/document-exchange.md): a re-registration of a
birth (đăng ký lại khai sinh) at the ward of Trấn Biên, whose original registration must be verified by Hồ Chí Minh
City's Department of Justice — an outside agency, reached through the document exchange hub (simulator on 8311).

Setting it up brings the dossier into the outside step; after commit the job worker sends the edXML document, the
simulated department answers at once and the poll chain (every MOTCUA_EDXML_POLL_SECONDS) brings the answer back,
which moves the dossier to the ward leader. Without the hub configured the document waits, with the reason.
The outside agency's code and the procedure's process are illustrative."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from motcua.catalog.actions import import_catalog
from motcua.catalog.models import Procedure
from motcua.directory.models import AdministrativeUnit, Agency, AgencyLevel, UnitLevel
from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant
from motcua.dossiers.models import Channel, Dossier

EXTERNAL_CODE = "000.00.12.H29"  # one of the hub simulator's agencies
EXTERNAL_FUNCTION = "tu_phap_hcm"
KEY = "demo:edxml:re-registration"

PROCEDURE: dict[str, Any] = {
    "national_code": "1.004884",
    "name": "Đăng ký lại khai sinh",
    "field_code": "ho_tich",
    "field_name": "Hộ tịch",
    "level": "commune",
    "service_level": "mot_phan",
    "competent_authority": "Ủy ban nhân dân cấp xã",
    "competent_agencies": ["000.01.70.H19"],
    "statutory_days": "5",
    "statutory_unit": "working_days",
    "time_rule": "05 ngày làm việc; trường hợp phải xác minh thì không quá 10 ngày làm việc.",
    "fees": [{"name": "Lệ phí đăng ký lại khai sinh", "kind": "fixed", "amount": 0, "note": "Theo Nghị quyết HĐND"}],
    "required_documents": [
        {"code": "to_khai", "name": "Tờ khai đăng ký lại khai sinh", "form": "original", "quantity": 1,
         "mandatory": True, "reusable": False},
        {"code": "ban_sao_giay_khai_sinh", "name": "Bản sao Giấy khai sinh cũ (nếu có)", "form": "copy",
         "quantity": 1, "mandatory": False, "reusable": True},
    ],
    "eform_schema": {"type": "object", "properties": {"ho_ten": {"type": "string"}}, "required": ["ho_ten"]},
    "result_type": "Giấy khai sinh (bản chính)",
    "legal_basis": ["Luật Hộ tịch số 60/2014/QH13", "Nghị định 123/2015/NĐ-CP"],
    "process_definition": {"steps": [
        {"key": "tiep_nhan", "name": "Tiếp nhận hồ sơ", "agency": "receiving", "role": "clerk", "days": "0.5",
         "actions": ["forward", "request_supplement", "refuse"]},
        {"key": "xu_ly", "name": "Công chức tư pháp – hộ tịch kiểm tra, đề nghị xác minh nơi đăng ký trước đây",
         "agency": "competent", "role": "specialist", "days": "1", "actions": ["forward", "send_back", "refuse"]},
        {"key": "xac_minh", "name": "Sở Tư pháp TP. Hồ Chí Minh xác minh việc đăng ký khai sinh trước đây",
         "agency": EXTERNAL_FUNCTION, "role": "specialist", "days": "3", "actions": ["forward", "send_back"],
         "kind": "external", "system": "edxml"},
        {"key": "ky", "name": "Chủ tịch UBND phường ký Giấy khai sinh, trả kết quả", "agency": "competent",
         "role": "leader", "days": "0.5", "actions": ["approve", "sign", "return_result", "send_back"]},
    ]},
    "source_url": "https://dichvucong.gov.vn/",
    "effective_from": "2025-07-01",
}


def external_agency() -> Agency:
    agency = Agency.objects.filter(eid_code=EXTERNAL_CODE).first()
    if agency is not None:
        return agency
    hcmc = AdministrativeUnit.objects.current().get(level=UnitLevel.PROVINCE, code="79")
    return Agency.objects.create(
        eid_code=EXTERNAL_CODE, name="Sở Tư pháp Thành phố Hồ Chí Minh", short_name="STP TP.HCM",
        level=AgencyLevel.DEPARTMENT, function=EXTERNAL_FUNCTION, admin_unit=hcmc, is_external=True,
        address="141-143 Pasteur, Phường Xuân Hòa, Thành phố Hồ Chí Minh")


def build_demo_exchange(now: dt.datetime | None = None) -> int:
    """The outside agency, the procedure and the dossier, unless they exist; returns the dossiers created (0/1)."""
    now = now or timezone.now()
    external_agency()
    if not Procedure.objects.filter(national_code=PROCEDURE["national_code"]).exists():
        import_catalog([PROCEDURE])
    if Dossier.objects.filter(idempotency_key=KEY).exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["tiepnhan.tranbien", "congchuc.tranbien"])}
    ward = Agency.objects.get(eid_code="000.01.70.H19")
    dossier = actions.submit_dossier(
        procedure=Procedure.objects.get(national_code=PROCEDURE["national_code"]), channel=Channel.COUNTER,
        applicant=Applicant(name="Nguyễn Văn An", id_number="075090001234", phone="0912345678"),
        competent_agency=ward, receiving_agency=ward, actor=users["tiepnhan.tranbien"],
        form_data={"ho_ten": "Nguyễn Văn An"}, paper_documents=["to_khai", "ban_sao_giay_khai_sinh"],
        idempotency_key=KEY, at=now - dt.timedelta(hours=3))
    dossier = actions.forward_dossier(dossier, actor=users["tiepnhan.tranbien"], at=now - dt.timedelta(hours=2))
    actions.forward_dossier(dossier, actor=users["congchuc.tranbien"], at=now - dt.timedelta(hours=1),
                            note="Đề nghị Sở Tư pháp TP. Hồ Chí Minh xác minh việc đăng ký khai sinh năm 1990.")
    return 1
