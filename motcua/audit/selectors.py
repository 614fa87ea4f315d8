"""Reads of the audit chain: the head to publish, and a full verification of every link."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from motcua.audit.chain import EVENT_FIELDS, link_hash
from motcua.audit.models import GENESIS_HASH, ChainHead, EventSeal
from motcua.dossiers.models import DossierEvent

_BATCH = 2000


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold."""

    position: int
    event_id: int | None
    reason_vi: str
    reason_en: str
    dossier_code: str = ""
    seq: int | None = None

    def describe(self) -> str:
        where = f"vị trí / position {self.position}, sự kiện / event #{self.event_id}"
        if self.dossier_code:
            where += f" (hồ sơ / dossier {self.dossier_code}, lần / seq {self.seq})"
        return f"{where}: {self.reason_vi} / {self.reason_en}"


@dataclass
class Verification:
    checked: int = 0
    head_position: int = 0
    head_hash: str = GENESIS_HASH
    broken: Break | None = None
    unsealed: int = 0
    first_unsealed: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken is None and self.unsealed == 0


def current_head() -> ChainHead:
    """The committed head (position 0 and the genesis hash before the first event)."""
    return ChainHead.objects.filter(pk=ChainHead.SINGLETON).first() or ChainHead(position=0, hash=GENESIS_HASH)


def _named(position: int, event_id: int | None, vi: str, en: str) -> Break:
    found = (DossierEvent.objects.filter(pk=event_id).values("seq", "dossier__code").first()
             if event_id is not None else None)
    if found is None:
        return Break(position, event_id, vi, en)
    return Break(position, event_id, vi, en, dossier_code=found["dossier__code"], seq=found["seq"])


def verify_chain(anchor: tuple[int, str] | None = None) -> Verification:
    """Recompute every link in position order. Detects an edited event or seal (hash), a deleted link (gap in
    positions), a reordering (previous-hash mismatch), a cut tail or edited head (head mismatch), events with no
    seal (inserted behind the application's back, or never sealed), and, given ANCHOR = (position, hash) published
    earlier, a rewrite of the whole chain since then."""
    result = Verification()
    prev_position, prev_hash = 0, GENESIS_HASH
    anchor_seen = anchor is None
    while result.broken is None:
        seals = list(EventSeal.objects.filter(position__gt=prev_position).order_by("position")
                     .values("position", "event_id", "prev_hash", "hash")[:_BATCH])
        if not seals:
            break
        events: dict[int, dict[str, Any]] = {
            row["id"]: row for row in DossierEvent.objects.filter(pk__in=[s["event_id"] for s in seals])
            .values(*EVENT_FIELDS)
        }
        for seal in seals:
            position, event_id = seal["position"], seal["event_id"]
            event = events.get(event_id)
            if position != prev_position + 1:
                result.broken = _named(position, event_id, f"thiếu mắt xích từ vị trí {prev_position + 1}",
                                       f"link(s) missing from position {prev_position + 1} (deleted)")
            elif event is None:
                result.broken = _named(position, event_id, "sự kiện đã bị xóa", "the event was deleted")
            elif seal["prev_hash"] != prev_hash:
                result.broken = _named(position, event_id, "không nối tiếp mắt xích trước (bị sắp xếp lại hoặc sửa)",
                                       "does not follow the previous link (reordered or rewritten)")
            elif link_hash(event, position, prev_hash) != seal["hash"]:
                result.broken = _named(position, event_id, "sự kiện hoặc dấu niêm phong đã bị sửa",
                                       "the event or its seal was altered")
            elif anchor is not None and position == anchor[0]:
                anchor_seen = True
                if seal["hash"] != anchor[1]:
                    result.broken = _named(position, event_id, "khác mã băm đã công bố (chuỗi bị viết lại)",
                                           "differs from the published hash (the chain was rewritten)")
            if result.broken is not None:
                break
            result.checked += 1
            prev_position, prev_hash = position, seal["hash"]
    head = current_head()
    result.head_position, result.head_hash = head.position, head.hash
    if result.broken is None and (head.position, head.hash) != (prev_position, prev_hash):
        result.broken = Break(head.position, None, f"đầu chuỗi không khớp mắt xích cuối (vị trí {prev_position})",
                              f"the head does not match the last link (position {prev_position}): tail cut or "
                              "head edited")
    if result.broken is None and not anchor_seen and anchor is not None:
        result.broken = Break(anchor[0], None, "không còn vị trí đã công bố (chuỗi bị cắt)",
                              "the published position is gone (the chain was cut)")
    unsealed = DossierEvent.objects.filter(seal__isnull=True).order_by("id")
    result.unsealed = unsealed.count()
    result.first_unsealed = list(unsealed.values_list("id", flat=True)[:10])
    return result
