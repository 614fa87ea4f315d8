"""Issue 17, checked end to end and all electronic, on a live server with the land database, tax authority /
treasury and national payment platform simulators (in-process, free ports) and a controlled clock:

online submission of the land-use-right transfer → parcel checked from the land database → cadastral transfer form
sent to the tax authority → its notice pushed back → dossier paused, the citizen told the amounts → the citizen
pays online (invoice <code>-NV on /thanh-toan/<code>/, national payment platform) → the treasury's confirmation
comes too and pays nothing more → the dossier resumes and the external steps move on → the e-result is signed with
the land office's certificate → the change is written back to the land database → the public look-up shows each
step with its working-day deadline, the paying time not counted (it spans a weekend and New Year's Day)."""

import pytest

from motcua.dossiers.models import Dossier, DossierEvent, Outcome, PauseInterval, Status
from motcua.dossiers.tests.helpers import at
from motcua.integrations.tests.conftest import forget_committed_call_records  # noqa: F401 (fixture)
from motcua.land.models import LandWriteBack, ParcelCheck
from motcua.land.tests.helpers import AN_ID, BINH_ID
from motcua.notifications.models import OutboundMessage
from motcua.payments.models import Invoice, Payment
from motcua.signing.models import ResultDocument
from motcua.signing.pdf import verify_pdf
from motcua.taxexchange.models import TaxNotice, TaxPaymentConfirmation, TaxTransfer
from motcua.taxexchange.tests.chain import (
    LAND_OFFICE_CN,
    LAND_OFFICE_O,
    approve_and_return,
    hand_to_tax,
    parcel,
    pay_online,
    public_timeline,
    pushed,
    signer_of,
    submit_online,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("forget_committed_call_records")]


def test_the_land_transfer_runs_across_every_system(chain, demo_agencies, other_citizen, clerk, specialist, leader):
    from motcua.signing.config import trust_roots

    # 1. Tuesday 29/12/2026 08:00: Trần Thị Bình applies online; the parcel is checked in the land database.
    client, dossier = submit_online(other_citizen, demo_agencies["land_office"])
    assert dossier.channel == "online" and dossier.status == Status.SUBMITTED
    check = ParcelCheck.objects.get(dossier=dossier)
    assert check.state == ParcelCheck.State.CLEAR and check.flags == []
    assert [(h["name"], h["id_number"]) for h in check.parcel["holders"]] == [("Trần Thị Bình", BINH_ID)]
    assert check.parcel["restrictions"] == [] and check.parcel["commune_code"] == "26041"
    assert chain.land.state.snapshot()["lookups"] >= 1

    # 2. Received, to the land office, to the tax step (Wednesday 30/12 14:00): the form goes out, the dossier pauses.
    dossier = hand_to_tax(chain, dossier, clerk, specialist)
    assert pushed(chain, 1)  # the tax authority's notice, pushed to our endpoint
    transfer = TaxTransfer.objects.get(dossier=dossier)
    assert transfer.state == TaxTransfer.State.NOTIFIED and transfer.payload["ThuaDat"]["SoThua"] == "345"
    assert transfer.payload["GiaoDich"]["GiaTriHopDong"] == "2000000000"
    assert list(chain.tax.state.snapshot()["transfers"]) == [dossier.code]  # the tax authority holds the form
    notice = TaxNotice.objects.get(dossier=dossier)
    assert notice.total == 50_000_000 and notice.source == "push"
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == Status.PAUSED_FOR_FEES and dossier.paused_at == at(2026, 12, 30, 14)
    invoice = Invoice.objects.get(dossier=dossier, purpose=Invoice.Purpose.OBLIGATION)
    assert invoice.number == f"{dossier.code}-NV" and invoice.total == 50_000_000
    told = DossierEvent.objects.get(dossier=dossier, action="tax_notice")
    assert told.data["amount"] == 50_000_000
    messages = OutboundMessage.objects.filter(event=told)
    assert messages.exists() and all("50.000.000" in m.body for m in messages if m.body)

    # 3. Monday 4/1/2027 10:00 (after a weekend and New Year's Day): she pays online; the treasury confirms as well.
    chain.clock.set(at(2027, 1, 4, 10))
    answer = pay_online(client, other_citizen, dossier, amount_text="50.000.000")
    assert answer.status_code == 303
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == Status.PROCESSING and dossier.current_step["key"] == "cap_nhat"
    chain.tax.state.pay(notice.number)  # the treasury's own confirmation of the same obligation
    assert pushed(chain, 2)
    confirmation = TaxPaymentConfirmation.objects.get(dossier=dossier)
    assert not confirmation.applied  # already paid through the platform: it pays nothing
    [payment] = Payment.objects.filter(invoice=invoice)
    assert payment.provider == "paygov" and payment.state == Payment.State.SUCCEEDED
    assert DossierEvent.objects.filter(dossier=dossier, action="record_payment").count() == 1
    pause = PauseInterval.objects.get(dossier=dossier)
    assert (pause.started_at, pause.ended_at) == (at(2026, 12, 30, 14), at(2027, 1, 4, 10))

    # 4. Approved Tuesday 5/1 14:00, signed with the land office's certificate; returned Wednesday 6/1 09:00.
    dossier = approve_and_return(chain, dossier, specialist, leader, clerk)
    assert dossier.status == Status.RETURNED and dossier.outcome == Outcome.EARLY
    result = ResultDocument.objects.get(dossier=dossier, state=ResultDocument.State.SIGNED)
    assert result.signing_identity == chain.identity
    signed = result.signed_file.read()
    signer = signer_of(signed)
    assert (signer["common_name"], signer["organization_name"]) == (LAND_OFFICE_CN, LAND_OFFICE_O)
    verdict = verify_pdf(signed, trust_roots=trust_roots())  # the configured roots: the test CA only
    assert verdict.valid, verdict.problems
    assert LAND_OFFICE_CN in verdict.signatures[0].signer_subject

    # 5. The change is in the land database: An holds parcel 345; its reference is kept on the dossier.
    assert wait_for_write_back(dossier)
    row = LandWriteBack.objects.get(dossier=dossier)
    assert row.reference.startswith("BD-26041-")
    assert [(h["name"], h["id_number"]) for h in parcel(chain, "345")["holders"]] == [("Nguyễn Văn An", AN_ID)]
    assert parcel(chain, "345")["changes"] == [row.reference]

    # 6. The public look-up: every step with its deadline in working time. 8 working days from Tuesday 29/12
    # 09:00, with Friday 1/1/2027 a holiday: Monday 11/1 09:00. The payment (Wednesday 30/12 14:00 → Monday 4/1
    # 10:00, 13 h 30 min of working time) moves it to Tuesday 12/1 16:00 and the tax step's deadline (Monday 4/1
    # 14:00, 16 h left at the pause) to Wednesday 6/1 10:00.
    processing, other, paused = "Đang xử lý", "Đang xử lý tại cơ quan phối hợp", "Chờ thực hiện nghĩa vụ tài chính"
    assert public_timeline(dossier) == [
        ("08:00 29/12/2026", "Đã nộp, chờ tiếp nhận", "", ""),                          # submitted online
        ("09:00 29/12/2026", "Đã tiếp nhận", "14:30 29/12/2026", "09:00 11/01/2027"),    # 0.5 day; 8 working days
        ("10:00 29/12/2026", processing, "10:00 31/12/2026", ""),                        # land office: 2 days
        ("14:00 30/12/2026", other, "14:00 04/01/2027", ""),                             # tax: 2 days, over 1/1
        ("14:00 30/12/2026", paused, "", ""),                                            # form sent: paused
        ("14:00 30/12/2026", paused, "", ""),                                            # the notice: amounts told
        ("10:00 04/01/2027", other, "10:00 06/01/2027", "16:00 12/01/2027"),             # paid: clock resumes
        ("10:00 04/01/2027", other, "17:00 04/01/2027", ""),                             # treasury: 0 days
        ("10:00 04/01/2027", processing, "10:00 06/01/2027", ""),                        # land office: 2 days
        ("09:00 05/01/2027", processing, "09:00 06/01/2027", ""),                        # the leader: 1 day
        ("14:00 05/01/2027", "Có kết quả, chờ trả", "08:30 06/01/2027", ""),             # approved: 0.5 day
        ("09:00 06/01/2027", "Đã trả kết quả", "", ""),                                  # returned
    ]
    assert dossier.due_at == at(2027, 1, 12, 16)


def wait_for_write_back(dossier):
    from motcua.taxexchange.tests.chain import wait_for

    return wait_for(lambda: LandWriteBack.objects.filter(dossier=dossier, state=LandWriteBack.State.SENT).exists())
