"""The chain's canonical serialisation and link hash: the one definition both sealing and verifying use."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

# Format version of the serialisation, hashed with every link so that a later format can coexist.
FORMAT = 1
# Every column of a dossier event, by its database name: a change to any of them breaks the link.
EVENT_FIELDS = (
    "id", "dossier_id", "seq", "action", "from_status", "to_status", "from_step", "to_step", "actor_id",
    "actor_agency_id", "to_agency_id", "note", "is_public", "data", "created_at",
)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime in a dossier event")
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def canonical(event: Mapping[str, Any], position: int, prev_hash: str) -> bytes:
    """EVENT (its EVENT_FIELDS as read from the database) with its place in the chain, as canonical JSON:
    sorted keys, no spaces, UTF-8, times in UTC with microseconds."""
    record = {name: _plain(event[name]) for name in EVENT_FIELDS}
    record.update(format=FORMAT, position=position, prev_hash=prev_hash)
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode()


def link_hash(event: Mapping[str, Any], position: int, prev_hash: str) -> str:
    return hashlib.sha256(canonical(event, position, prev_hash)).hexdigest()
