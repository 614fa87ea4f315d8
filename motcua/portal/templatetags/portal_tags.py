"""Blocks shared by the citizen pages: the fees of a procedure before submitting, and what a dossier owes."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.models import Channel, Dossier

register = template.Library()


def schedule_rows(version: ProcedureVersion) -> list[dict[str, Any]]:
    """The procedure's fee schedule as an online applicant pays it (the online rate where there is one)."""
    rows = []
    for fee in version.fees or []:
        kind = fee.get("kind", "fixed")
        amount = int(fee["online_amount"] if "online_amount" in fee else fee.get("amount", 0))
        rows.append({"name": fee.get("name", ""), "kind": kind, "amount": amount, "unit": fee.get("unit", ""),
                     "maximum": fee.get("maximum"), "exempt": fee.get("exempt", []), "note": fee.get("note", ""),
                     "notified_later": kind == "per_item" and amount == 0})
    return rows


def fixed_total(version: ProcedureVersion) -> int:
    from motcua.payments.fees import compute_lines

    return sum(line.amount for line in compute_lines(version, channel=Channel.ONLINE) if line.kind == "fixed")


@register.inclusion_tag("portal/_fee_schedule.html")
def fee_schedule(version: ProcedureVersion) -> dict[str, Any]:
    """{% fee_schedule version %} — the fees the applicant will be asked for, before submitting."""
    return {"rows": schedule_rows(version), "total": fixed_total(version)}


@register.inclusion_tag("portal/_dossier_fees.html")
def dossier_fees(dossier: Dossier, with_secret: bool = False) -> dict[str, Any]:
    """{% dossier_fees dossier %} — the dossier's invoices and what is still owed, with the online-payment link;
    before any invoice, the procedure's schedule (the counter confirms the amount when it receives the dossier).
    WITH_SECRET (the public look-up, reached with the look-up code) carries the code in the link."""
    from motcua.payments.models import Invoice

    invoices = list(Invoice.objects.filter(dossier=dossier).exclude(state=Invoice.State.CANCELLED)
                    .order_by("created_at", "pk"))
    owed = sum(invoice.outstanding for invoice in invoices)
    version = dossier.procedure_version
    return {"dossier": dossier, "invoices": invoices, "owed": owed, "with_secret": with_secret,
            "rows": [] if invoices else schedule_rows(version), "total": 0 if invoices else fixed_total(version)}


def _working_hours() -> str:
    from django.conf import settings

    from motcua.calendar.models import WorkSchedule, default_schedule, parse_sessions

    schedule = WorkSchedule.objects.filter(province_code=settings.MOTCUA_PROVINCE_CODE).first() or default_schedule()
    return ", ".join(f"{start:%H:%M}–{end:%H:%M}" for start, end in parse_sessions(schedule.sessions))


@register.inclusion_tag("portal/_dossier_result.html")
def dossier_result(dossier: Dossier, owner: bool = True) -> dict[str, Any]:
    """{% dossier_result dossier %} — once there is a result: what it is (the procedure's result type and the
    signed e-results), whether it came on time, and how to get it (download, post, or the counter with its
    address and hours). OWNER=False (the public look-up) leaves out the download links."""
    from motcua.dossiers.models import Status
    from motcua.signing.selectors import signed_results

    if dossier.status not in (Status.RESULT_READY, Status.RETURNED):
        return {"shown": False}
    results = list(signed_results(dossier))
    return {"shown": True, "dossier": dossier, "granted": dossier.procedure_version.result_type,
            "results": results, "owner": owner, "counter": dossier.receiving_agency,
            "hours": _working_hours(), "returned": dossier.status == Status.RETURNED}
