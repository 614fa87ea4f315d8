"""The demo province: Đồng Nai (code 75) after the 2025 merger, with a handful of agencies and staff.

Agency e-ID codes here are illustrative: they follow the shape of Decision 20/2020/QĐ-TTg (as amended by
09/2025/QĐ-TTg) but a real deployment takes its codes from the province's published list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from motcua.directory.models import AdministrativeUnit, Agency, AgencyLevel, Role, StaffAssignment, UnitLevel

PROVINCE_CODE = "75"
TRAN_BIEN_CODE = "26041"  # Phường Trấn Biên (the centre of former Biên Hòa city)
LONG_THANH_CODE = "26368"  # Xã Long Thành


@dataclass(frozen=True)
class AgencySpec:
    key: str
    eid_code: str
    name: str
    short_name: str
    level: AgencyLevel
    function: str
    parent: str | None
    unit_code: str


AGENCIES = [
    AgencySpec("province", "000.00.00.H19", "Ủy ban nhân dân tỉnh Đồng Nai", "UBND tỉnh", AgencyLevel.PROVINCE,
               "province", None, PROVINCE_CODE),
    AgencySpec("service_center", "000.00.01.H19", "Trung tâm Phục vụ hành chính công tỉnh Đồng Nai",
               "Trung tâm PVHCC", AgencyLevel.DEPARTMENT_UNIT, "service_center", "province", PROVINCE_CODE),
    AgencySpec("environment", "000.00.16.H19", "Sở Nông nghiệp và Môi trường tỉnh Đồng Nai", "Sở NN&MT",
               AgencyLevel.DEPARTMENT, "natural_resources", "province", PROVINCE_CODE),
    AgencySpec("land_office", "000.01.16.H19", "Văn phòng Đăng ký đất đai tỉnh Đồng Nai", "VPĐKĐĐ",
               AgencyLevel.DEPARTMENT_UNIT, "land_registration", "environment", PROVINCE_CODE),
    AgencySpec("construction", "000.00.15.H19", "Sở Xây dựng tỉnh Đồng Nai", "Sở Xây dựng",
               AgencyLevel.DEPARTMENT, "construction", "province", PROVINCE_CODE),
    AgencySpec("tax", "000.00.31.H19", "Thuế tỉnh Đồng Nai", "Thuế tỉnh", AgencyLevel.CENTRAL_BRANCH, "tax",
               None, PROVINCE_CODE),
    AgencySpec("treasury", "000.00.32.H19", "Kho bạc Nhà nước khu vực Đồng Nai", "Kho bạc",
               AgencyLevel.CENTRAL_BRANCH, "treasury", None, PROVINCE_CODE),
    AgencySpec("tran_bien", "000.01.70.H19", "Ủy ban nhân dân phường Trấn Biên", "UBND phường Trấn Biên",
               AgencyLevel.COMMUNE, "commune", "province", TRAN_BIEN_CODE),
    AgencySpec("long_thanh", "000.02.70.H19", "Ủy ban nhân dân xã Long Thành", "UBND xã Long Thành",
               AgencyLevel.COMMUNE, "commune", "province", LONG_THANH_CODE),
]

# username, full name, role, agency key
STAFF = [
    ("quantri.tinh", "Lê Văn Quản", Role.PROVINCE_ADMIN, "province"),
    ("quantri.sonnmt", "Phạm Thị Mai", Role.AGENCY_ADMIN, "environment"),
    ("tiepnhan.ttpvhcc", "Nguyễn Thị Hoa", Role.CLERK, "service_center"),
    ("chuyenvien.vpdkdd", "Trần Văn Đức", Role.SPECIALIST, "land_office"),
    ("lanhdao.vpdkdd", "Võ Minh Tâm", Role.LEADER, "land_office"),
    ("chuyenvien.thue", "Đặng Thu Hà", Role.SPECIALIST, "tax"),
    ("chuyenvien.khobac", "Bùi Văn Long", Role.SPECIALIST, "treasury"),
    ("chuyenvien.xaydung", "Hồ Ngọc Lan", Role.SPECIALIST, "construction"),
    ("tiepnhan.tranbien", "Lý Thị Thu", Role.CLERK, "tran_bien"),
    ("congchuc.tranbien", "Trịnh Quốc Bảo", Role.SPECIALIST, "tran_bien"),
    ("lanhdao.tranbien", "Phan Thanh Sơn", Role.LEADER, "tran_bien"),
    ("tiepnhan.longthanh", "Mai Anh Tuấn", Role.CLERK, "long_thanh"),
]

# username, full name, personal ID number, phone
CITIZENS = [
    ("nguyenvana", "Nguyễn Văn An", "075090001234", "0912345678"),
    ("tranthibinh", "Trần Thị Bình", "075195004321", "0987654321"),
]


def _unit(level: UnitLevel, code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.current().get(level=level, code=code)


@transaction.atomic
def build_demo_directory(password: str | None) -> dict[str, Agency]:
    """Create (or update) the demo agencies, staff and citizens. Idempotent.

    With PASSWORD None, accounts get unusable passwords (the test suite); otherwise every demo account
    gets PASSWORD.
    """
    agencies: dict[str, Agency] = {}
    for spec in AGENCIES:
        level = UnitLevel.PROVINCE if spec.unit_code == PROVINCE_CODE else UnitLevel.COMMUNE
        agency, _created = Agency.objects.update_or_create(
            eid_code=spec.eid_code,
            defaults={
                "name": spec.name, "short_name": spec.short_name, "level": spec.level, "function": spec.function,
                "parent": agencies[spec.parent] if spec.parent else None, "admin_unit": _unit(level, spec.unit_code),
            },
        )
        agencies[spec.key] = agency
    user_model = get_user_model()
    for username, full_name, role, agency_key in STAFF:
        user, _created = user_model.objects.get_or_create(username=username, defaults={"full_name": full_name})
        user.is_staff = True
        _set_password(user, password)
        StaffAssignment.objects.get_or_create(user=user, agency=agencies[agency_key], role=role)
    for username, full_name, national_id, phone in CITIZENS:
        user, _created = user_model.objects.get_or_create(
            username=username, defaults={"full_name": full_name, "national_id": national_id, "phone": phone}
        )
        _set_password(user, password)
    return agencies


def _set_password(user: object, password: str | None) -> None:
    if password is None:
        user.set_unusable_password()  # type: ignore[attr-defined]
    else:
        user.set_password(password)  # type: ignore[attr-defined]
    user.save()  # type: ignore[attr-defined]
