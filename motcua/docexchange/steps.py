"""The handler of an external step done by an outside agency through the document exchange hub
(`{"kind": "external", "system": "edxml"}`; registered in `motcua.dossiers.external.HANDLERS`)."""

from __future__ import annotations

from motcua.docexchange import actions


def edxml_step(dossier_id: int, seq: int) -> None:
    """Entering the step sends the dossier to the step's agency as an edXML document (once per entry); the answer,
    fetched by the poll, resumes it (`actions.receive_message`)."""
    actions.start_step_exchange(dossier_id, seq)
