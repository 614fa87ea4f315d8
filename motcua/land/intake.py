"""The counter intake page's look-up in the land database (GET parameters of the intake page itself): the parcel
asked for, the flags for the clerk, and the e-form filled from it. Kept apart from `views` so the back office's
intake view can import it without importing the land pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from motcua.adapters.land_registry import ParcelKey
from motcua.catalog.models import Procedure
from motcua.core.i18n import in_language
from motcua.land import actions, rules
from motcua.land.access import INTAKE_PURPOSE, record_parcel_read

LOOKUP_FIELDS = ("gcn", "ma_xa", "so_to", "so_thua", "so_dinh_danh")


def key_from(query: Any) -> ParcelKey | None:
    """The parcel key a look-up form asks for (None: the form was not filled in)."""
    values = {name: str(query.get(name, "")).strip()[:40] for name in LOOKUP_FIELDS}
    if not any(values[name] for name in ("gcn", "ma_xa", "so_to", "so_thua")):
        return None
    return ParcelKey(commune_code=values["ma_xa"], sheet=values["so_to"], number=values["so_thua"],
                     certificate_serial=values["gcn"])


def intake_lookup(request: HttpRequest, procedure: Procedure) -> dict[str, Any] | None:
    """The look-up the counter intake page asked for (GET ?gcn=… or ?ma_xa=…&so_to=…&so_thua=…, with the
    applicant's ?so_dinh_danh=…), done once per request: {"values", "problems", "lookup"}; None when the procedure is
    not a land one or nothing was asked. Only staff pages call it: the parcel's holders shown are a logged read."""
    if not rules.is_land_procedure(procedure.national_code) or request.method != "GET":
        return None
    cached: dict[str, Any] | None = getattr(request, "_land_lookup", None)
    if cached is not None:
        return cached
    key = key_from(request.GET)
    values = {name: str(request.GET.get(name, "")).strip()[:40] for name in LOOKUP_FIELDS}
    result: dict[str, Any] = {"values": values, "problems": {}, "lookup": None}
    if key is not None:
        problems = key.problems()
        result["problems"] = {field: in_language(*pair) for field, pair in problems.items()}
        if not problems:
            user = request.user
            result["lookup"] = actions.look_up(procedure.national_code, key, applicant_id=values["so_dinh_danh"],
                                               official=user if user.is_authenticated else None)
            if result["lookup"].parcel is not None:  # a member of staff sees the holders: a logged read
                record_parcel_read(actor=user, parcel=result["lookup"].parcel,
                                   purpose=f"{INTAKE_PURPOSE} (TTHC {procedure.national_code})")
    request._land_lookup = result  # type: ignore[attr-defined]
    return result


def intake_form_data(request: HttpRequest, procedure: Procedure) -> dict[str, Any]:
    """The e-form of the counter intake page filled from the parcel looked up ({} when none was)."""
    asked = intake_lookup(request, procedure)
    lookup = asked["lookup"] if asked else None
    if lookup is None or lookup.parcel is None:
        return {}
    return rules.filled_form(procedure.national_code, lookup.parcel, {})
