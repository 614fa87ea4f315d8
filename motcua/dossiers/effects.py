"""What happens after a dossier event: the one list of the engine's subscribers.

The workflow engine (`workflow.transition`, `workflow.record_creation`) writes the event and calls `after_event`,
inside the event's transaction; the citizen's survey calls `after_survey`. Each subscriber lives in the app that owns
its concern and is named here by its dotted path, resolved with ``import_string`` on first use: those apps import
``motcua.dossiers`` (their models point at `Dossier`), so a static import from here would be an import cycle between
apps (docs/design-decisions.md, "Layering"). The list is explicit and ordered; no Django signals.

A subscriber is ``subscriber(dossier, event) -> None``; it runs in the caller's transaction, so it writes its rows
there and defers any outside call with ``transaction.on_commit`` (its own business).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from motcua.dossiers.models import Dossier, DossierEvent


@dataclass(frozen=True)
class Subscriber:
    path: str
    on_creation: bool = True  # also for a new dossier's first event (`record_creation`)
    public_only: bool = False  # only for the events the citizen sees (the table's `public`)


# In this order, for every event (inside its transaction):
EVENT_SUBSCRIBERS: tuple[Subscriber, ...] = (
    Subscriber("motcua.audit.actions.seal_dossier_event"),  # the hash chain (docs/audit.md)
    Subscriber("motcua.notifications.actions.enqueue_for_dossier_event"),  # SMS, e-mail, Zalo outbox
    Subscriber("motcua.integrations.national_portal_sync.queue_event", public_only=True),  # the national portal
    Subscriber("motcua.reports.rollups.record_dossier_event"),  # the monthly figures
    Subscriber("motcua.dossiers.external.after_transition", on_creation=False),  # an external step's handler
    Subscriber("motcua.land.hooks.after_event"),  # parcel check, write-back to the land database
)

# After a citizen's satisfaction survey is kept: subscriber(dossier, overall, when).
SURVEY_SUBSCRIBERS: tuple[str, ...] = (
    "motcua.reports.rollups.record_survey",
)

# The checks an automatic step can make (catalog `"automatic": <name>`, `motcua.catalog.schemas.AUTOMATIC_STEPS`):
# check(dossier) -> the evidence to record (the step is done), or None (the step stays for its officer).
AUTOMATIC_CHECKS: dict[str, str] = {
    "population_check": "motcua.integrations.population.step_evidence",
}


@cache
def _resolve(path: str) -> Callable[..., Any]:
    return import_string(path)  # type: ignore[no-any-return]


def after_event(dossier: Dossier, event: DossierEvent, *, creation: bool = False) -> None:
    """Run EVENT's subscribers (in EVENT_SUBSCRIBERS order), in the caller's transaction."""
    for subscriber in EVENT_SUBSCRIBERS:
        if (creation and not subscriber.on_creation) or (subscriber.public_only and not event.is_public):
            continue
        _resolve(subscriber.path)(dossier, event)


def after_survey(dossier: Dossier, overall: int, when: dt.datetime) -> None:
    for path in SURVEY_SUBSCRIBERS:
        _resolve(path)(dossier, overall, when)


def automatic_check(name: str) -> Callable[[Dossier], dict[str, Any] | None] | None:
    path = AUTOMATIC_CHECKS.get(name)
    return _resolve(path) if path else None
