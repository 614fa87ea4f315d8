"""The land database (Cơ sở dữ liệu đất đai) as motcua calls it: parcel look-up and the write-back of a change.

Every call goes through `IntegrationClient` on the system ``dat_dai`` of MOTCUA_INTEGRATION_SYSTEMS_JSON (its base URL,
or its LGSP route), so each attempt leaves a `CallRecord`; the message shapes are the adapter's
(`motcua.adapters.land_registry`, GUESSED, docs/land.md). The service is off until that system is
configured: callers then fall back to manual entry by the land office's staff.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from django.conf import settings

from motcua.adapters import land_registry as adapter
from motcua.adapters.land_registry import ChangeRequest, Parcel, ParcelKey, WriteBackAnswer
from motcua.integrations.client import IntegrationClient, IntegrationError

SYSTEM = "dat_dai"


class LandRegistryUnavailable(Exception):
    """The land database could not be asked (not configured, down, timed out, answered badly or refused)."""


def configured() -> bool:
    return SYSTEM in dict(settings.MOTCUA_INTEGRATION_SYSTEMS)


def _path() -> str:
    return str(getattr(settings, "MOTCUA_LAND_REGISTRY_PATH", "/") or "/")


def _lookup_answer(response: httpx.Response) -> Parcel | None:
    try:
        return adapter.parse_lookup_answer(response.content)
    except adapter.LookupRefused as exc:
        raise ValueError(str(exc)) from exc


def find_parcel(key: ParcelKey, *, official: str = "", purpose: str = "", dossier_id: int | None = None
                ) -> Parcel | None:
    """The parcel KEY names, None when the land database holds none. Raises LandRegistryUnavailable when it
    cannot be asked, ValueError for a key that is not one (see `ParcelKey.problems`)."""
    if key.problems():
        raise ValueError(f"not a parcel key: {key}")
    if not configured():
        raise LandRegistryUnavailable("the land database (dat_dai) is not configured")
    body = adapter.build_lookup(key, official=official, purpose=purpose, request_id=uuid.uuid4().hex)
    try:
        with IntegrationClient(SYSTEM) as client:
            # A look-up changes nothing: safe to retry, so it carries a key of its own (the client retries only
            # idempotent calls).
            result = client.call(adapter.SERVICE_LOOKUP, "POST", _path(), json=body, parse=_lookup_answer,
                                 idempotency_key=body["MaYeuCau"], dossier_id=dossier_id)
    except IntegrationError as exc:
        raise LandRegistryUnavailable(str(exc)) from exc
    return result.value


def _write_back_answer(response: httpx.Response) -> WriteBackAnswer:
    try:
        return adapter.parse_write_back_answer(response.content)
    except adapter.LookupRefused as exc:
        raise ValueError(str(exc)) from exc


def send_change(change: ChangeRequest, *, dossier_id: int | None = None) -> WriteBackAnswer:
    """Write CHANGE to the land database; idempotent by its request id (a repeat answers the same reference).
    Raises LandRegistryUnavailable when it did not go through (retry later with the same request id)."""
    return send_change_message(adapter.build_write_back(change), dossier_id=dossier_id)


def send_change_message(body: dict[str, Any], *, dossier_id: int | None = None) -> WriteBackAnswer:
    """`send_change` for a message built earlier (the outbox keeps the message, not the dataclass)."""
    if not configured():
        raise LandRegistryUnavailable("the land database (dat_dai) is not configured")
    request_id = str(body.get("MaYeuCau") or "")
    if not request_id:
        raise ValueError("a write-back needs its MaYeuCau")
    try:
        with IntegrationClient(SYSTEM) as client:
            result = client.call(adapter.SERVICE_WRITE_BACK, "POST", _path(), json=body, parse=_write_back_answer,
                                 idempotency_key=request_id, dossier_id=dossier_id)
    except IntegrationError as exc:
        raise LandRegistryUnavailable(str(exc)) from exc
    return result.value
