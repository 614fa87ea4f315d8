"""What the land procedures' e-forms mean to the land database: which procedures are land ones, the parcel an
e-form names, the e-form filled from a parcel, the flags for the clerk, and the change an approval writes back.

Pure functions over the e-form data and the adapter's dataclasses (no HTTP, no database), so that the counter intake,
the online submission and the tests read the same rules.

E-form paths (the demo catalog's land procedures, motcua/catalog/fixtures/demo_procedures_dong_nai.json):
``thua_dat.{so_thua, to_ban_do, so_phat_hanh_gcn, ma_xa, dia_chi_thua, dien_tich}``; the transfer (1.013831) names
``ben_chuyen_nhuong`` and ``ben_nhan_chuyen_nhuong`` ({ho_ten, so_dinh_danh, dia_chi}); the change of holder information
(1.013833) names ``nguoi_su_dung_dat``, ``noi_dung_thay_doi`` and ``thong_tin_moi``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from motcua.adapters import land_registry as adapter
from motcua.adapters.land_registry import ChangeRequest, Holder, Parcel, ParcelKey

TRANSFER = "1.013831"  # Đăng ký biến động … do chuyển nhượng, thừa kế, tặng cho, góp vốn
HOLDER_INFO = "1.013833"  # Đăng ký biến động do đổi tên hoặc thay đổi thông tin về người sử dụng đất

# What each land procedure writes back after approval (procedures not listed are looked up, never written back).
CHANGE_KIND = {TRANSFER: adapter.CHANGE_TRANSFER, HOLDER_INFO: adapter.CHANGE_HOLDER_INFO}

RESTRICTION_TEXT = {
    adapter.MORTGAGE: ("Thửa đất đang thế chấp", "The parcel is mortgaged"),
    adapter.DISPUTE: ("Thửa đất đang có tranh chấp", "The parcel is under dispute"),
    adapter.SEIZURE: ("Thửa đất đang bị kê biên để thi hành án", "The parcel is seized for enforcement"),
    adapter.INJUNCTION: ("Thửa đất đang bị áp dụng biện pháp ngăn chặn", "An injunction applies to the parcel"),
}


def land_procedures() -> list[str]:
    """National codes of the procedures checked against the land database (MOTCUA_LAND_PROCEDURES)."""
    return [str(code) for code in settings.MOTCUA_LAND_PROCEDURES]


def is_land_procedure(national_code: str) -> bool:
    return national_code in land_procedures()


def blocking_kinds() -> frozenset[str]:
    """Restrictions that stop the procedure (MOTCUA_LAND_BLOCKING_RESTRICTIONS); the others are warnings, e.g. a
    mortgage, which the mortgagee's written consent lifts."""
    return frozenset(str(kind) for kind in settings.MOTCUA_LAND_BLOCKING_RESTRICTIONS)


def _group(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name)
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def parcel_key_of(form_data: dict[str, Any]) -> ParcelKey | None:
    """The parcel the e-form names: by certificate serial when given, else by commune + sheet + parcel number
    (the commune from ``thua_dat.ma_xa``, or MOTCUA_LAND_DEFAULT_COMMUNE). None when it names none usable."""
    parcel = _group(form_data, "thua_dat")
    serial = _text(parcel.get("so_phat_hanh_gcn"))
    if serial:
        key = ParcelKey(certificate_serial=serial)
        if not key.problems():
            return key
    commune = _text(parcel.get("ma_xa")) or str(getattr(settings, "MOTCUA_LAND_DEFAULT_COMMUNE", "") or "")
    key = ParcelKey(commune_code=commune, sheet=_text(parcel.get("to_ban_do")), number=_text(parcel.get("so_thua")))
    return None if key.problems() else key


@dataclass(frozen=True)
class Flag:
    code: str
    severity: str  # "block": stop before receipt unless resolved; "warn": tell the clerk
    vi: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "vi": self.vi, "en": self.en}


def _person(form_data: dict[str, Any], group: str) -> tuple[str, str]:
    person = _group(form_data, group)
    return _text(person.get("ho_ten")), _text(person.get("so_dinh_danh"))


def flags_for(national_code: str, parcel: Parcel, *, applicant_id: str, form_data: dict[str, Any]) -> list[Flag]:
    """What the clerk must see before receipt: the applicant (or the e-form's current holder) not among the
    parcel's holders, and each restriction on it."""
    flags: list[Flag] = []
    holders = ", ".join(f"{h.name} ({h.id_number})" for h in parcel.holders) or "—"
    holder_group = "ben_chuyen_nhuong" if national_code == TRANSFER else "nguoi_su_dung_dat"
    named, named_id = _person(form_data, holder_group)
    if named_id and not parcel.holds(named_id):
        flags.append(Flag("named_not_holder", "block",
                          f"Người được khai là người sử dụng đất ({named or named_id}) không có tên trên Giấy chứng "
                          f"nhận; người sử dụng đất theo CSDL đất đai: {holders}.",
                          f"The person declared as land user ({named or named_id}) is not a holder; the land "
                          f"database's holders: {holders}."))
    _taker, taker_id = _person(form_data, "ben_nhan_chuyen_nhuong")
    applicant_id = _text(applicant_id)
    party = parcel.holds(applicant_id) or (national_code == TRANSFER and applicant_id and applicant_id == taker_id)
    if applicant_id and not party:
        flags.append(Flag("applicant_not_holder", "warn",
                          f"Người nộp hồ sơ (số định danh {applicant_id}) không phải người sử dụng đất cũng không phải "
                          f"bên nhận chuyển nhượng: cần văn bản ủy quyền. Người sử dụng đất: {holders}.",
                          f"The applicant (ID {applicant_id}) is neither a holder nor the transferee: a power of "
                          f"attorney is needed. Holders: {holders}."))
    elif not applicant_id:
        flags.append(Flag("applicant_unknown", "warn", "Chưa có số định danh của người nộp để đối chiếu.",
                          "The applicant's personal ID is missing: it could not be compared with the holders."))
    blocking = blocking_kinds()
    for restriction in parcel.restrictions:
        vi, en = RESTRICTION_TEXT.get(restriction.kind, (f"Hạn chế: {restriction.kind}", f"Restriction: "
                                                                                          f"{restriction.kind}"))
        detail = " — ".join(part for part in (restriction.description, restriction.party) if part)
        flags.append(Flag(f"restriction_{restriction.kind}", "block" if restriction.kind in blocking else "warn",
                          f"{vi}{': ' + detail if detail else ''}.", f"{en}{': ' + detail if detail else ''}."))
    return flags


def filled_form(national_code: str, parcel: Parcel, form_data: dict[str, Any]) -> dict[str, Any]:
    """FORM_DATA with the parcel's details filled in from the land database: the parcel group, and the current
    holder (the transferor, or the land user whose details change) when the e-form names none yet. What the
    applicant already wrote elsewhere is kept."""
    data = {key: (dict(value) if isinstance(value, dict) else value) for key, value in form_data.items()}
    group = data.setdefault("thua_dat", {})
    area: int | float = int(parcel.area) if parcel.area == parcel.area.to_integral_value() else float(parcel.area)
    group.update({"so_thua": parcel.number, "to_ban_do": parcel.sheet, "so_phat_hanh_gcn": parcel.certificate_serial,
                  "dia_chi_thua": parcel.address, "dien_tich": area})
    holder_group = "ben_chuyen_nhuong" if national_code == TRANSFER else "nguoi_su_dung_dat"
    person = _group(data, holder_group)
    if parcel.holders and not _text(person.get("so_dinh_danh")):
        first = parcel.holders[0]
        data[holder_group] = {**person, "ho_ten": first.name, "so_dinh_danh": first.id_number,
                              **({"dia_chi": first.address} if first.address else {})}
    return data


def citizen_fill(national_code: str, parcel: Parcel, form_data: dict[str, Any], citizen_id: str) -> dict[str, Any]:
    """What a signed-in citizen's online form gets from the land database: the parcel's own details always, the
    holder's name and ID only when the citizen is a holder (no one learns another person's data by typing a serial)."""
    filled = filled_form(national_code, parcel, form_data)
    if not parcel.holds(citizen_id):
        holder_group = "ben_chuyen_nhuong" if national_code == TRANSFER else "nguoi_su_dung_dat"
        if holder_group in form_data:
            filled[holder_group] = form_data[holder_group]
        else:
            filled.pop(holder_group, None)
    return filled


def change_for(national_code: str, form_data: dict[str, Any], key: ParcelKey, *, request_id: str,
               dossier_code: str, approved_at: str, agency_code: str) -> ChangeRequest | None:
    """The change the approval of a land dossier writes back; None when the procedure writes nothing or the e-form
    lacks what the change needs (the land office then enters it by hand)."""
    kind = CHANGE_KIND.get(national_code)
    if kind == adapter.CHANGE_TRANSFER:
        name, id_number = _person(form_data, "ben_nhan_chuyen_nhuong")
        if not name:
            return None
        taker = _group(form_data, "ben_nhan_chuyen_nhuong")
        return ChangeRequest(request_id=request_id, dossier_code=dossier_code, procedure_code=national_code,
                             kind=kind, key=key, approved_at=approved_at, agency_code=agency_code,
                             new_holders=(Holder(name, id_number, "", _text(taker.get("dia_chi"))),),
                             description=f"Chuyển quyền sử dụng đất theo hồ sơ {dossier_code}")
    if kind == adapter.CHANGE_HOLDER_INFO:
        changed = _text(form_data.get("noi_dung_thay_doi"))
        new_value = _text(form_data.get("thong_tin_moi"))
        _name, holder_id = _person(form_data, "nguoi_su_dung_dat")
        if changed not in adapter.HOLDER_FIELDS or not new_value:
            return None
        return ChangeRequest(request_id=request_id, dossier_code=dossier_code, procedure_code=national_code,
                             kind=kind, key=key, approved_at=approved_at, agency_code=agency_code,
                             holder_id_number=holder_id, changed_field=changed, new_value=new_value,
                             description=f"Thay đổi thông tin người sử dụng đất theo hồ sơ {dossier_code}")
    return None
