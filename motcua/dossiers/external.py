"""Process steps done by an outside system through an adapter (docs/land-tax-exchange.md, "Step kinds").

A step of a process definition is **internal** (the default: an agency's staff act inside motcua) or **external**:
``{"kind": "external", "system": "tax_authority", "fallback_after_hours": 48}``. At an external step the system
(no actor) may take the actions in ``SYSTEM_ACTIONS`` (`workflow.may_take`), and after every transition that
enters such a step, or resumes a dossier at one, the step's handler runs as a job queued with the transaction. The
step's staff keep every action they have at an internal step: when the outside system fails, the handler records
the fallback (`external_fallback`, with the reason) and the staff enter by hand what the system would have sent.

Handlers are registered in ``HANDLERS`` (system name -> dotted path of ``handler(dossier_id, seq) -> None``); a
handler must be idempotent (a job can run twice) and look at the dossier as it is now, not as SEQ left it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Final

from django.utils.module_loading import import_string
from django_tasks import task

from motcua.core.jobs import enqueue_with_transaction

logger = logging.getLogger(__name__)

INTERNAL: Final = "internal"
EXTERNAL: Final = "external"
STEP_KINDS: Final = (INTERNAL, EXTERNAL)
# The handler that drives each outside system a step may name (`motcua.catalog.schemas.EXTERNAL_SYSTEMS`, which the
# catalog's import checks against; a new system goes in both).
HANDLERS: dict[str, str] = {
    "tax_authority": "motcua.taxexchange.steps.tax_step",
    "treasury": "motcua.taxexchange.steps.treasury_step",
    "edxml": "motcua.docexchange.steps.edxml_step",  # an outside agency, through the document exchange hub
}
# What the system itself may do at an external step (no actor).
# (send_back: an outside agency rejected the edXML document, or it could not be delivered: docs/document-exchange.md)
SYSTEM_ACTIONS: Final = frozenset({"forward", "send_back", "pause_for_fees", "tax_notice", "external_fallback"})
# Events after which an external step's handler runs: entering a step (any move) or resuming after a payment.
_TRIGGERS: Final = frozenset({"record_payment"})


def is_external(step: Mapping[str, Any]) -> bool:
    return bool(step.get("kind", INTERNAL) == EXTERNAL)


def system_of(step: Mapping[str, Any]) -> str:
    return str(step.get("system") or "") if is_external(step) else ""


def fallback_after_hours(step: Mapping[str, Any], default: float) -> float:
    value = step.get("fallback_after_hours")
    try:
        return float(value) if value is not None else default
    except (TypeError, ValueError):
        return default


def after_transition(dossier: Any, event: Any) -> None:
    """Inside `workflow.transition`'s transaction: when EVENT left the dossier at an external step (entered it, or
    resumed there), queue the step's handler as a job with the transaction (`core.jobs`: it runs once the event
    is committed, and exists only if it is)."""
    if dossier.is_terminal or not is_external(dossier.current_step):
        return
    if event.from_step == event.to_step and event.action not in _TRIGGERS:
        return
    enqueue_with_transaction(run_external_step, dossier.pk, event.seq)


def handler_for(system: str) -> Callable[[int, int], None] | None:
    path = HANDLERS.get(system)
    return import_string(path) if path else None


@task()
def run_external_step(dossier_id: int, seq: int) -> str:
    """The job: call the handler of the dossier's current step (if it is still external)."""
    from motcua.dossiers.models import Dossier

    dossier = Dossier.objects.select_related("procedure_version").filter(pk=dossier_id).first()
    if dossier is None or dossier.is_terminal:
        return "gone"
    system = system_of(dossier.current_step)
    handler = handler_for(system)
    if handler is None:
        logger.warning("Dossier %s: external step names no known system (%r)", dossier.code, system)
        return "no handler"
    handler(dossier_id, seq)
    return system
