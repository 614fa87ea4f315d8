"""All electronic, against the tax authority and treasury simulator over HTTP: the land transfer is handed to the
tax step, the form goes out, the simulator pushes the notice to the running site, the treasury's confirmation
(pushed three times under the duplicate fault) pays once and the external steps move the dossier on. A changed
amount reaches the citizen again."""

import time
from typing import Any

import pytest

from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.dossiers.tests.helpers import LAND_FORM, land_dossier
from motcua.integrations.tests.conftest import forget_committed_call_records  # noqa: F401 (fixture)
from motcua.notifications.actions import kind_of
from motcua.notifications.models import Kind
from motcua.payments.models import Invoice, Payment
from motcua.taxexchange.models import TaxNotice, TaxPaymentConfirmation, TaxTransfer
from motcua.taxexchange.tests.conftest import TOKEN
from simulators.tax_authority import SimulatorConfig, TaxFaults, TaxSimulator

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("forget_committed_call_records")]


@pytest.fixture
def simulator(units_restored, live_server, settings):
    config = SimulatorConfig(notice_url=f"{live_server.url}/lien-thong/thue/thong-bao/",
                             receipt_url=f"{live_server.url}/lien-thong/thue/chung-tu/", push_token=TOKEN,
                             notice_delay_ms=300, faults=TaxFaults())
    with TaxSimulator(config) as sim:
        settings.MOTCUA_INTEGRATION_SYSTEMS = {"thue": {"base_url": f"{sim.url}/thue", "max_attempts": 2},
                                               "kho_bac": {"base_url": f"{sim.url}/kho_bac", "max_attempts": 2}}
        yield sim


def pushed(simulator, count, seconds=15.0):
    """Until the simulator has made COUNT pushes and had their answers. (On SQLite the live server shares the
    test's connection: the test waits on the simulator, not on the database, while a push is being handled.)"""
    return wait_for(lambda: len(simulator.state.snapshot()["pushes"]) >= count, seconds)


def wait_for(condition, seconds=15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def hand_to_tax(catalog, agencies, clerk, specialist):
    from django.utils import timezone

    form = {**LAND_FORM, "hop_dong": {"so_cong_chung": "4521", "ngay_cong_chung": "2026-11-20",
                                      "gia_chuyen_nhuong": 2_000_000_000}}
    dossier = land_dossier(catalog, agencies, clerk, timezone.now(), form_data=form)
    dossier = dossier_actions.forward_dossier(dossier, actor=clerk)
    return dossier_actions.forward_dossier(dossier, actor=specialist)  # the handler sends after this commits


def test_the_exchange_runs_end_to_end_and_a_duplicate_confirmation_pays_once(
        simulator, demo_catalog, demo_agencies, clerk, specialist):
    simulator.state.faults.update({"duplicate_confirmations": 1})
    dossier = hand_to_tax(demo_catalog, demo_agencies, clerk, specialist)
    assert pushed(simulator, 1)
    assert TaxTransfer.objects.get(dossier=dossier).state == TaxTransfer.State.NOTIFIED
    notice = TaxNotice.objects.get(dossier=dossier)
    assert notice.total == 50_000_000  # 2 % + 0.5 % of 2,000,000,000 đồng
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PAUSED_FOR_FEES
    simulator.state.pay(notice.number)  # the citizen pays at the treasury: confirmed three times
    assert pushed(simulator, 4)
    assert Dossier.objects.get(pk=dossier.pk).current_step["key"] == "cap_nhat"
    assert TaxPaymentConfirmation.objects.get(dossier=dossier).copies == 3
    assert Payment.objects.filter(invoice__dossier=dossier, invoice__purpose="obligation").count() == 1
    assert Invoice.objects.get(dossier=dossier, purpose="obligation").state == Invoice.State.PAID
    assert [p["status"] for p in simulator.state.snapshot()["pushes"]] == [200, 200, 200, 200]
    steps: list[Any] = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq")
                            .values_list("action", "actor"))
    assert steps[-5:] == [("pause_for_fees", None), ("tax_notice", None), ("record_payment", None),
                          ("forward", None), ("forward", None)]


def test_a_changed_amount_is_told_again_and_a_late_notice_is_polled(
        simulator, demo_catalog, demo_agencies, clerk, specialist):
    simulator.state.faults.update({"change_amount_next": 1})
    dossier = hand_to_tax(demo_catalog, demo_agencies, clerk, specialist)
    assert pushed(simulator, 2)
    events = DossierEvent.objects.filter(dossier=dossier, action="tax_notice").order_by("seq")
    assert [e.data["amount"] for e in events] == [50_000_000, 51_500_000] and events.last().data["changed"]
    # Both are told to the citizen (the message templates themselves are flushed away in this kind of test).
    assert [kind_of(e) for e in events] == [Kind.PAUSED_FOR_FEES, Kind.PAUSED_FOR_FEES]

    simulator.state.faults.update({"late_notices": 1})
    late = hand_to_tax(demo_catalog, demo_agencies, clerk, specialist)
    time.sleep(0.5)
    assert TaxTransfer.objects.get(dossier=late).state == TaxTransfer.State.SENT
    assert not TaxNotice.objects.filter(dossier=late).exists()  # never pushed
    from motcua.taxexchange.actions import poll

    assert poll().notices == 1 and TaxNotice.objects.get(dossier=late).source == "poll"


def test_the_tax_system_down_sends_the_step_to_manual_entry(simulator, demo_catalog, demo_agencies, clerk,
                                                             specialist):
    simulator.state.faults.update({"down": True})
    dossier = hand_to_tax(demo_catalog, demo_agencies, clerk, specialist)
    transfer = TaxTransfer.objects.get(dossier=dossier)
    assert transfer.state == TaxTransfer.State.MANUAL and "không phản hồi" in transfer.manual_reason
    assert DossierEvent.objects.filter(dossier=dossier, action="external_fallback").exists()
