"""The demo's dossier at the outside agency: set up at the outside step, sent by the worker, answered by the
simulated Department of Justice of Hồ Chí Minh City, resumed; setting it up again creates nothing."""

from __future__ import annotations

import pytest

from motcua.demo.exchange import KEY, build_demo_exchange
from motcua.docexchange import actions
from motcua.docexchange.models import OutgoingDocument, State
from motcua.dossiers.models import Dossier, Status

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")


def test_the_demo_dossier_goes_through_the_hub(hub, demo_agencies, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert build_demo_exchange() == 1
    dossier = Dossier.objects.get(idempotency_key=KEY)
    assert dossier.current_step["key"] == "xac_minh" and dossier.status == Status.IN_OTHER_AGENCY
    assert dossier.current_agency.is_external and dossier.current_agency.eid_code == "000.00.12.H29"
    assert OutgoingDocument.objects.get(dossier=dossier).state == State.SENT
    with django_capture_on_commit_callbacks(execute=True):
        actions.poll()
    dossier.refresh_from_db()
    assert dossier.current_step["key"] == "ky" and OutgoingDocument.objects.get(dossier=dossier).answer_document
    assert build_demo_exchange() == 0 and Dossier.objects.filter(idempotency_key=KEY).count() == 1
