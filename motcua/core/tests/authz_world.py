"""The world of the authorisation matrix: citizen A's dossiers, handled by agency A, with every kind of object a
URL can name (documents, notices, an invoice, a receipt, a signed e-result, a leader's export).

- `dossier`: at the tax office, its fees paid (documents, notices, the invoice and the receipt);
- `signed`: approved by the leader, with its e-result signed by the project's signing code (the agency's PKCS#12
  file of the signing tests' throw-away PKI, timestamped by their loopback TSA: the `agency_signing` fixture);
- `at_result_step`: at the land office specialist's last step, the one that produces the result (whoever acts
  there may attach the draft result);
- `export`: a finished export of the dossiers behind a report figure, asked for by the leader.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant, Upload, submit_dossier
from motcua.dossiers.models import Channel, Dossier, Status
from motcua.dossiers.tests.helpers import LAND_FORM, LAND_PAPERS, at
from motcua.feedback.actions import Petitioner, submit_feedback
from motcua.feedback.models import Channel as FeedbackChannel
from motcua.feedback.models import Feedback, FeedbackKind, Subject
from motcua.identity.models import User
from motcua.identity.tokens import issue_token
from motcua.payments.actions import record_counter_payment
from motcua.payments.invoices import invoice_for_pause
from motcua.payments.models import Invoice, Receipt
from motcua.reports.actions import request_export, run_export
from motcua.reports.models import ExportJob
from motcua.signing.actions import approve_with_result, may_upload_draft, upload_draft
from motcua.signing.models import ResultDocument

# Appears only in citizen A's dossiers: a response to anyone else must never contain it.
MARKER_NAME = "Nguyễn Văn Đặcbiệt"
MARKER_FILE = b"%PDF-1.4 tai-lieu-rieng-cua-cong-dan-A"
# A PDF comment after the draft result's end: kept byte for byte by the (incremental) signature, so it is in the
# signed e-result and in the citizen's stored copy.
MARKER_RESULT = b"%ket-qua-rieng-cua-cong-dan-A"


@dataclass
class World:
    dossier: Dossier
    invoice: Invoice
    receipt: Receipt
    signed: Dossier
    result: ResultDocument
    at_result_step: Dossier
    draft: bytes  # a draft result PDF anyone may try to attach
    export: ExportJob
    users: dict[str, User | None]
    tokens: dict[str, str]
    feedback: Feedback  # citizen A's petition to agency A's land office (motcua/feedback)

    @property
    def secrets(self) -> list[str]:
        return [self.dossier.lookup_secret, self.signed.lookup_secret, self.at_result_step.lookup_secret,
                self.feedback.lookup_secret, MARKER_NAME, MARKER_FILE.decode(), MARKER_RESULT.decode()]


def _submitted(catalog: dict[str, Any], agencies: dict[str, Any], citizen: User, clerk: User, day: int) -> Dossier:
    """Citizen A's online land transfer, received at the provincial service centre and sent to the land office."""
    dossier = submit_dossier(
        procedure=catalog["1.013831"], channel=Channel.ONLINE,
        applicant=Applicant(name=MARKER_NAME, id_number="075090009999", phone="0911222333"),
        competent_agency=agencies["land_office"], receiving_agency=agencies["service_center"], actor=citizen,
        form_data=LAND_FORM, uploads=[Upload(slot, f"{slot}.pdf", MARKER_FILE) for slot in LAND_PAPERS],
        at=at(2026, 11, day, 8), assurance_level=2,  # land transfer needs a level 2 VNeID sign-in
    )
    dossier = actions.receive_dossier(dossier, actor=clerk, at=at(2026, 11, day, 9))
    return actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, day, 10))


def _at_result_step(catalog: dict[str, Any], agencies: dict[str, Any], cast: dict[str, User | None],
                    staff: dict[str, User], day: int) -> Dossier:
    """A dossier through the land office, the tax office and the treasury, back at the specialist's last step."""
    citizen, clerk, specialist = cast["citizen"], cast["clerk"], cast["specialist"]
    assert citizen is not None and clerk is not None and specialist is not None
    dossier = _submitted(catalog, agencies, citizen, clerk, day)
    for actor in (specialist, staff["tax"], staff["treasury"]):
        dossier = actions.forward_dossier(dossier, actor=actor, at=at(2026, 11, day, 15))
    assert dossier.current_role == "specialist" and may_upload_draft(dossier, specialist)
    return dossier


def build_world(catalog: dict[str, Any], agencies: dict[str, Any], cast: dict[str, User | None], *,
                tax_specialist: User, treasury_specialist: User, draft: bytes) -> World:
    """DRAFT: an unsigned result PDF. The deployment must sign with a key its trust roots accept (`agency_signing`)."""
    citizen, clerk, specialist, leader = cast["citizen"], cast["clerk"], cast["specialist"], cast["leader"]
    assert citizen is not None and clerk is not None and specialist is not None and leader is not None
    staff = {"tax": tax_specialist, "treasury": treasury_specialist}

    dossier = _submitted(catalog, agencies, citizen, clerk, 30)
    dossier = actions.forward_dossier(dossier, actor=specialist, at=at(2026, 12, 1, 15))
    dossier = actions.pause_for_fees(dossier, actor=tax_specialist, note="Thuế", amount=25_000_000,
                                     at=at(2026, 12, 2, 9))
    invoice = invoice_for_pause(dossier)
    payment = record_counter_payment(invoice, actor=clerk, method="cash", amount=invoice.outstanding,
                                     idempotency_key="authz-world")
    dossier.refresh_from_db()

    # The specialist attaches the draft result, the leader approves: the result is signed and issued online.
    signed = _at_result_step(catalog, agencies, cast, staff, 26)
    upload_draft(signed, actor=specialist, name="ket-qua.pdf", content=draft + b"\n" + MARKER_RESULT + b"\n")
    signed = actions.forward_dossier(signed, actor=specialist, at=at(2026, 11, 27, 9))
    signed = approve_with_result(signed, actor=leader, expected_version=signed.version, note="Đồng ý",
                                 at=at(2026, 11, 27, 10))
    result = ResultDocument.objects.get(dossier=signed, state=ResultDocument.State.SIGNED)
    assert signed.status == Status.RESULT_READY and result.signed_file and result.timestamped
    assert MARKER_RESULT in result.signed_file.read()

    at_result_step = _at_result_step(catalog, agencies, cast, staff, 28)

    export = request_export(leader, ExportJob.Kind.DOSSIERS_XLSX, {"tu": "2026-11", "den": "2026-12"})
    assert run_export(export.pk) == "done"
    export.refresh_from_db()

    feedback = submit_feedback(
        kind=FeedbackKind.objects.get(code="ho_so"), subject=Subject.DOSSIER, dossier_code=dossier.code,
        title="Hồ sơ chậm", content=f"Tôi là {MARKER_NAME}.", agency=agencies["land_office"],
        petitioner=Petitioner(MARKER_NAME, "0911222333"), channel=FeedbackChannel.ONLINE, actor=citizen,
        consent_to_publish=True, at=at(2026, 12, 2, 10),
    )

    tokens = {role: issue_token(user, "authz") for role, user in cast.items() if user is not None}
    return World(dossier=dossier, invoice=invoice, receipt=payment.receipt, signed=signed, result=result,
                 at_result_step=at_result_step, draft=draft, export=export, users=cast, tokens=tokens,
                 feedback=feedback)
