"""Invoice lines from a procedure version's fee schedule (catalog/schemas.py: name, kind fixed|per_item, amount,
online_amount, unit, maximum, exempt, note).

- fixed: one line at `amount`, or `online_amount` when the dossier was filed online (a lower online fee is a
  common provincial incentive);
- per_item: `amount` × the quantity asked for (e.g. extra copies), capped at `maximum`; no line when none is
  asked for; an amount of 0 means the competent authority notifies it later (a financial obligation);
- exempt: the applicant belongs to one of the listed categories; the line stays, at 0 đồng, naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.models import Channel


class FeeError(Exception):
    """Bad quantities or exemptions; `errors` maps a fee line to (Vietnamese, English) messages."""

    def __init__(self, errors: dict[str, tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{key}: {vi} ({en})" for key, (vi, en) in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Line:
    position: int
    name: str
    kind: str
    unit_amount: int
    quantity: int
    amount: int
    exemption: str = ""
    note: str = ""


def compute_lines(version: ProcedureVersion, *, channel: str, quantities: dict[int, int] | None = None,
                  exemptions: dict[int, str] | None = None) -> list[Line]:
    """The lines of the fee invoice; QUANTITIES and EXEMPTIONS are keyed by the fee's index in the schedule."""
    quantities, exemptions = quantities or {}, exemptions or {}
    fees: list[dict[str, Any]] = list(version.fees or [])
    errors: dict[str, tuple[str, str]] = {}
    for index in set(quantities) | set(exemptions):
        if not 0 <= index < len(fees):
            errors[f"fees/{index}"] = ("Không có khoản phí này trong biểu phí của thủ tục.",
                                       "The procedure's fee schedule has no such line.")
    lines: list[Line] = []
    for index, fee in enumerate(fees):
        kind = fee.get("kind", "fixed")
        exemption = exemptions.get(index, "")
        if exemption and exemption not in fee.get("exempt", []):
            errors[f"fees/{index}"] = (
                f"«{exemption}» không thuộc các đối tượng được miễn của khoản «{fee['name']}».",
                f"“{exemption}” is not an exempt category of “{fee['name']}”.",
            )
            continue
        online = channel in (Channel.ONLINE, Channel.NATIONAL_PORTAL) and "online_amount" in fee
        unit = int(fee["online_amount"] if online else fee["amount"])
        if kind == "per_item":
            quantity = quantities.get(index, 0)
            if not isinstance(quantity, int) or quantity < 0 or quantity > 1000:
                errors[f"fees/{index}"] = ("Số lượng phải là số nguyên từ 0 đến 1000.",
                                           "The quantity must be a whole number from 0 to 1000.")
                continue
            if quantity == 0 or unit == 0:
                continue
        else:
            if index in quantities and quantities[index] != 1:
                errors[f"fees/{index}"] = ("Khoản phí cố định không nhận số lượng.",
                                           "A fixed fee takes no quantity.")
                continue
            quantity = 1
        amount = unit * quantity
        if fee.get("maximum") is not None:
            amount = min(amount, int(fee["maximum"]))
        if exemption:
            amount = 0
        lines.append(Line(position=len(lines) + 1, name=fee["name"], kind=kind, unit_amount=unit, quantity=quantity,
                          amount=amount, exemption=exemption, note=str(fee.get("note", ""))))
    if errors:
        raise FeeError(errors)
    return lines
