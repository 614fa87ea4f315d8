"""The world of the authorisation matrix: one dossier of citizen A, handled by agency A, with every kind of
object a URL can name (documents, notices, an invoice, a receipt)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant, Upload, submit_dossier
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.tests.helpers import LAND_FORM, LAND_PAPERS, at
from motcua.identity.models import User
from motcua.identity.tokens import issue_token
from motcua.payments.actions import invoice_for_pause, record_counter_payment
from motcua.payments.models import Invoice, Receipt

# Appears only in citizen A's dossier: a response to anyone else must never contain it.
MARKER_NAME = "Nguyễn Văn Đặcbiệt"
MARKER_FILE = b"%PDF-1.4 tai-lieu-rieng-cua-cong-dan-A"


@dataclass
class World:
    dossier: Dossier
    invoice: Invoice
    receipt: Receipt
    users: dict[str, User | None]
    tokens: dict[str, str]

    @property
    def secrets(self) -> list[str]:
        return [self.dossier.lookup_secret, MARKER_NAME, MARKER_FILE.decode()]


def build_world(catalog: dict[str, Any], agencies: dict[str, Any], cast: dict[str, User | None],
                tax_specialist: User) -> World:
    citizen, clerk, specialist = cast["citizen"], cast["clerk"], cast["specialist"]
    assert citizen is not None and clerk is not None and specialist is not None
    dossier = submit_dossier(
        procedure=catalog["1.013831"], channel=Channel.ONLINE,
        applicant=Applicant(name=MARKER_NAME, id_number="075090009999", phone="0911222333"),
        competent_agency=agencies["land_office"], receiving_agency=agencies["service_center"], actor=citizen,
        form_data=LAND_FORM, uploads=[Upload(slot, f"{slot}.pdf", MARKER_FILE) for slot in LAND_PAPERS],
        at=at(2026, 11, 30, 8),
    )
    dossier = actions.receive_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 9))
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10))
    dossier = actions.forward_dossier(dossier, actor=specialist, at=at(2026, 12, 1, 15))
    dossier = actions.pause_for_fees(dossier, actor=tax_specialist, note="Thuế", amount=25_000_000,
                                     at=at(2026, 12, 2, 9))
    invoice = invoice_for_pause(dossier)
    payment = record_counter_payment(invoice, actor=clerk, method="cash", amount=invoice.outstanding,
                                     idempotency_key="authz-world")
    dossier.refresh_from_db()
    tokens = {role: issue_token(user, "authz") for role, user in cast.items() if user is not None}
    return World(dossier=dossier, invoice=invoice, receipt=payment.receipt, users=cast, tokens=tokens)
