"""Reads of the land database's records by staff are reads of personal data (the parcel's holders: names, personal
ID numbers, addresses, shares): each is logged in the privacy app's access log (`record_access`, kind `land_view`),
one row per holder, like the other registries' look-ups (docs/privacy.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from motcua.adapters.land_registry import Parcel
from motcua.privacy.access import record_access
from motcua.privacy.models import AccessKind, DataAccess

if TYPE_CHECKING:
    from motcua.dossiers.models import Dossier

INTAKE_PURPOSE = "Tra cứu CSDL đất đai khi tiếp nhận, giải quyết hồ sơ"


def record_parcel_read(*, actor: Any, parcel: Parcel | Mapping[str, Any], purpose: str,
                       dossier: Dossier | None = None, reason: DataAccess | None = None) -> list[DataAccess]:
    """ACTOR (a member of staff) was shown PARCEL (a look-up's answer, or a dossier's kept check): one logged read
    per holder. A holder without a personal ID number (e.g. an organisation) is logged by name, outside the dossier
    (so that the read is not taken for one of the applicant's data). REASON: a read outside the reader's agency."""
    if not getattr(actor, "is_authenticated", False):
        return []
    if not isinstance(parcel, Parcel):
        parcel = Parcel.from_dict(parcel)
    where = f"{parcel.certificate_serial or ''} {parcel.commune_code}/{parcel.sheet}/{parcel.number}".strip()
    rows = []
    for holder in parcel.holders:
        identified = len(holder.id_number) == 12 and holder.id_number.isdigit()
        detail = f"thửa {where}: {holder.name}" + ("" if identified or dossier is None else f" (hồ sơ {dossier.code})")
        rows.append(record_access(
            actor=actor, kind=AccessKind.LAND_VIEW, purpose=reason.purpose if reason is not None else purpose,
            dossier=dossier if identified else None, subject_national_id=holder.id_number if identified else "",
            detail=detail, out_of_scope=reason is not None))
    return rows
