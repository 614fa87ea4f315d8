"""A small registry of outbound queues, so the connections page can show any outbox's backlog and act on its
dead items without knowing its model. An app registers its queue in its AppConfig.ready()."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol


class QueueError(Exception):
    """No such queue or item, or the item is not in a state that allows the act."""


@dataclass(frozen=True)
class DeadItem:
    id: str
    label: str           # e.g. the dossier code
    detail: str          # what was being sent
    created_at: dt.datetime
    attempts: int


class OutboundQueue(Protocol):
    system: str  # the outside system it delivers to (a key of MOTCUA_INTEGRATION_SYSTEMS)
    name: str
    label: Any

    def count_pending(self) -> int: ...
    def oldest_pending(self) -> dt.datetime | None: ...
    def dead_items(self, limit: int = 50) -> list[DeadItem]: ...
    def count_dead(self) -> int: ...
    def retry(self, item_id: str) -> None: ...
    def skip(self, item_id: str, *, actor: Any, reason: str) -> None: ...


_registry: dict[tuple[str, str], OutboundQueue] = {}


def register_queue(queue: OutboundQueue) -> None:
    _registry[(queue.system, queue.name)] = queue


def queues_of(system: str) -> list[OutboundQueue]:
    return [queue for (owner, _name), queue in sorted(_registry.items()) if owner == system]


def registered_systems() -> list[str]:
    return sorted({system for system, _name in _registry})


def queue_for(system: str, name: str) -> OutboundQueue:
    try:
        return _registry[(system, name)]
    except KeyError:
        raise QueueError(f"no queue {system}/{name}") from None
