"""A birth registration at the commune of Trấn Biên, brought to the step done in Hồ Chí Minh City."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant, Upload
from motcua.dossiers.models import Channel
from motcua.dossiers.tests.helpers import at
from simulators.edxml_hub import answer_pdf


def received(procedure, agencies, clerk):
    return actions.submit_dossier(
        procedure=procedure, channel=Channel.COUNTER,
        applicant=Applicant(name="Trần Thị Bình", id_number="075195004321", phone="0987654321"),
        competent_agency=agencies["tran_bien"], receiving_agency=agencies["tran_bien"], actor=clerk,
        form_data={"ho_ten_tre": "Trần Minh Khôi"}, paper_documents=["to_khai"],
        uploads=[Upload("giay_chung_sinh", "giay-chung-sinh.pdf", answer_pdf("Giay chung sinh"))],
        at=at(2026, 12, 7, 9))


def to_external_step(procedure, agencies, clerk, specialist, capture):
    """Received, then forwarded by the clerk and the specialist: the last forward enters the outside step, whose
    handler (after commit) sends the edXML document."""
    dossier = received(procedure, agencies, clerk)
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 12, 7, 10))
    with capture(execute=True):
        dossier = actions.forward_dossier(dossier, actor=specialist, at=at(2026, 12, 7, 11))
    dossier.refresh_from_db()
    return dossier


def control(sim: Any, path: str, body: object) -> Any:
    request = urllib.request.Request(sim.url + path, data=json.dumps(body).encode(), method="POST",  # noqa: S310
                                     headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(request, timeout=5).read())  # noqa: S310 - the local simulator
