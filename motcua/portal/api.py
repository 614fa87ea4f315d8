"""The signed-in citizen's endpoints for the mobile app (Zalo Mini App): their dossiers and data store.

Every endpoint looks dossiers up by code *and owner*: another citizen's dossier is a 404, exactly like one
that does not exist.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Header, Router, Schema
from ninja.responses import Status

from motcua.catalog.cached import competent_agencies, published_procedure
from motcua.documents.models import StoredDocument
from motcua.documents.uploads import too_large
from motcua.dossiers.actions import (
    Applicant,
    IntakeError,
    Upload,
    Written,
    answer_survey,
    submit_dossier,
    supplement_dossier,
    withdraw_dossier,
)
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.selectors import citizen_dossier, citizen_dossiers
from motcua.dossiers.workflow import WorkflowError
from motcua.identity.assurance import level_of_request
from motcua.identity.models import User
from motcua.identity.throttling import client_ip
from motcua.identity.tokens import TokenAuth
from motcua.payments.actions import start_online_payment
from motcua.payments.invoices import PaymentError
from motcua.payments.models import Invoice, Provider
from motcua.payments.selectors import invoices_of

router = Router(tags=["me"], auth=TokenAuth())


class ErrorOut(Schema):
    code: str
    message_vi: str
    message_en: str
    errors: dict[str, list[str]] = {}


class FileIn(Schema):
    slot: str
    name: str
    content_base64: str


class SubmitIn(Schema):
    procedure_code: str
    agency_eid: str
    applicant_name: str = ""
    applicant_id_number: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_address: str = ""
    form_data: dict[str, Any] = {}
    documents: list[FileIn] = []
    reuse: list[int] = []


class EventOut(Schema):
    time: dt.datetime
    status: str
    status_label: str
    agency: str | None


class DossierOut(Schema):
    code: str
    lookup_secret: str
    procedure_code: str
    procedure_name: str
    status: str
    status_label: str
    submitted_at: dt.datetime
    due_at: dt.datetime | None
    outcome: str | None


class DossierDetailOut(DossierOut):
    events: list[EventOut]
    documents: list[dict[str, Any]]
    supplement_request: dict[str, Any] | None


class SupplementIn(Schema):
    documents: list[FileIn]
    note: str = ""


class ReasonIn(Schema):
    reason: str


class SurveyIn(Schema):
    answers: dict[str, int]
    comment: str = ""


class InvoiceLineOut(Schema):
    name: str
    unit_amount: int
    quantity: int
    amount: int
    exemption: str


class InvoiceOut(Schema):
    number: str
    purpose: str
    total: int
    paid_amount: int
    outstanding: int
    state: str
    lines: list[InvoiceLineOut]
    receipts: list[str]


class PaymentStartIn(Schema):
    invoice: str
    provider: str = "vnpay"


class PaymentStartOut(Schema):
    payment_url: str
    order_reference: str
    amount: int
    expires_at: dt.datetime | None


class StoredOut(Schema):
    id: int
    kind: str
    name: str
    source: str
    created_at: dt.datetime
    valid_until: dt.date | None
    scan_state: str


NOT_FOUND = {"code": "not_found", "message_vi": "Không tìm thấy hồ sơ.", "message_en": "No such dossier."}


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)  # noqa: S101 - TokenAuth only lets users through
    return user


def _own(request: HttpRequest, code: str) -> Dossier | None:
    return citizen_dossier(_user(request), code, related=("procedure", "procedure_version"))


def _summary(d: Dossier) -> dict[str, Any]:
    return {"code": d.code, "lookup_secret": d.lookup_secret, "procedure_code": d.procedure.national_code,
            "procedure_name": d.procedure_version.name, "status": d.status, "status_label": d.get_status_display(),
            "submitted_at": d.submitted_at, "due_at": d.effective_due_at, "outcome": d.outcome or None}


def _detail(d: Dossier, written: Written | None = None) -> dict[str, Any]:
    """WRITTEN: the rows a submission has just written for D (used as they are instead of being read back)."""
    if written is not None and written.events:
        events, documents = [e for e in written.events if e.is_public], written.documents
    else:
        events = list(d.events.filter(is_public=True).select_related("to_agency").order_by("seq"))
        documents = list(d.documents.select_related("blob"))
    awaiting = d.status == "awaiting_supplement"
    notice = d.notices.filter(kind="supplement").order_by("-issued_at").first() if awaiting else None
    return {
        **_summary(d),
        "events": [{"time": e.created_at, "status": e.to_status, "status_label": e.get_to_status_label(),
                    "agency": e.to_agency.name if e.to_agency else None} for e in events],
        "documents": [{"slot": doc.slot, "name": doc.name, "reused": doc.reused_from_id is not None,
                       "supplement": doc.is_supplement, "scan_state": doc.scan_state if doc.file else None}
                      for doc in documents],
        "supplement_request": {"items": notice.items, "reason": notice.reason, "issued_at": notice.issued_at}
        if notice else None,
    }


def _decode(files: list[FileIn]) -> list[Upload] | ErrorOut:
    uploads = []
    for item in files:
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            return ErrorOut(code="bad_file", message_vi=f"Tệp {item.name} không đúng định dạng base64.",
                            message_en=f"File {item.name} is not valid base64.")
        error = too_large(item.name, len(content))
        if error is not None:
            return ErrorOut(code="too_large", message_vi=error.message_vi, message_en=error.message_en)
        uploads.append(Upload(slot=item.slot, name=item.name[:200] or "tep", content=content))
    return uploads


def _workflow_error(exc: WorkflowError) -> Status[Any]:
    return Status(409, exc.as_json())


@router.get("/dossiers", response=list[DossierOut], summary="My dossiers, newest first")
def my_dossiers(request: HttpRequest) -> list[dict[str, Any]]:
    rows = (citizen_dossiers(_user(request)).select_related("procedure", "procedure_version")
            .order_by("-submitted_at")[:200])
    return [_summary(d) for d in rows]


@router.get("/dossiers/{code}", response={200: DossierDetailOut, 404: ErrorOut}, summary="One of my dossiers")
def my_dossier(request: HttpRequest, code: str) -> Status[Any]:
    dossier = _own(request, code)
    return Status(404, NOT_FOUND) if dossier is None else Status(200, _detail(dossier))


@router.post("/dossiers", response={201: DossierDetailOut, 422: ErrorOut},
             summary="Submit a dossier online (send an Idempotency-Key header; a retry returns the same dossier)")
def submit(request: HttpRequest, payload: SubmitIn,
           idempotency_key: str = Header("", alias="Idempotency-Key")  # type: ignore[type-arg]
           ) -> Status[Any]:
    user = _user(request)
    # Both kept per process (motcua.catalog.cached): every submission reads them, they change a few times a year.
    procedure = published_procedure(payload.procedure_code)
    agency = competent_agencies(procedure.pk).active_by_eid.get(payload.agency_eid) if procedure else None
    if procedure is None or agency is None:
        return Status(422, {"code": "unknown", "message_vi": "Không có thủ tục hoặc nơi giải quyết này.",
                            "message_en": "Unknown procedure or agency."})
    uploads = _decode(payload.documents)
    if isinstance(uploads, ErrorOut):
        return Status(422, uploads)
    written = Written()
    try:
        dossier = submit_dossier(
            procedure=procedure, channel=Channel.ONLINE, competent_agency=agency, actor=user, written=written,
            applicant=Applicant(name=payload.applicant_name or user.full_name,
                                id_number=payload.applicant_id_number or (user.national_id or ""),
                                phone=payload.applicant_phone or user.phone,
                                email=payload.applicant_email or user.email, address=payload.applicant_address),
            form_data=payload.form_data, uploads=uploads, reuse=payload.reuse,
            idempotency_key=f"api:{user.pk}:{idempotency_key[:60]}" if idempotency_key else None,
            assurance_level=level_of_request(request),
        )
    except IntakeError as exc:
        errors = {k: [vi, en] for k, (vi, en) in exc.errors.items()}
        if "assurance_level" in exc.errors:  # said first and alone: the app tells the citizen how to raise it
            vi, en = exc.errors["assurance_level"]
            return Status(422, {"code": "assurance_level", "message_vi": vi, "message_en": en, "errors": errors})
        return Status(422, {"code": "invalid", "message_vi": "Hồ sơ chưa hợp lệ.", "message_en": "Invalid dossier.",
                            "errors": errors})
    return Status(201, _detail(dossier, written))


@router.post("/dossiers/{code}/supplement", response={200: DossierDetailOut, 404: ErrorOut, 409: ErrorOut,
                                                      422: ErrorOut},
             summary="Answer a supplement request with the missing documents")
def supplement(request: HttpRequest, code: str, payload: SupplementIn) -> Status[Any]:
    dossier = _own(request, code)
    if dossier is None:
        return Status(404, NOT_FOUND)
    uploads = _decode(payload.documents)
    if isinstance(uploads, ErrorOut):
        return Status(422, uploads)
    if not uploads:
        return Status(422, {"code": "no_documents", "message_vi": "Vui lòng đính kèm giấy tờ cần bổ sung.",
                            "message_en": "Attach the missing documents."})
    try:
        dossier = supplement_dossier(dossier, actor=_user(request), uploads=uploads, note=payload.note[:500])
    except WorkflowError as exc:
        if exc.code == "bad_upload":
            return Status(422, exc.as_json())
        return _workflow_error(exc)
    return Status(200, _detail(dossier))


@router.post("/dossiers/{code}/withdraw", response={200: DossierDetailOut, 404: ErrorOut, 409: ErrorOut},
             summary="Withdraw one of my dossiers")
def withdraw(request: HttpRequest, code: str, payload: ReasonIn) -> Status[Any]:
    dossier = _own(request, code)
    if dossier is None:
        return Status(404, NOT_FOUND)
    try:
        dossier = withdraw_dossier(dossier, actor=_user(request), reason=payload.reason[:500] or "Rút hồ sơ")
    except WorkflowError as exc:
        return _workflow_error(exc)
    return Status(200, _detail(dossier))


@router.post("/dossiers/{code}/survey", response={201: dict[str, int], 404: ErrorOut, 409: ErrorOut},
             summary="Rate the handling of a returned dossier")
def survey(request: HttpRequest, code: str, payload: SurveyIn) -> Status[Any]:
    dossier = _own(request, code)
    if dossier is None:
        return Status(404, NOT_FOUND)
    try:
        response = answer_survey(dossier, respondent=_user(request), answers=payload.answers,
                                 comment=payload.comment)
    except WorkflowError as exc:
        return _workflow_error(exc)
    return Status(201, {"overall": response.overall})


def _invoice(invoice: Invoice) -> dict[str, Any]:
    return {
        "number": invoice.number, "purpose": invoice.purpose, "total": invoice.total,
        "paid_amount": invoice.paid_amount, "outstanding": invoice.outstanding, "state": invoice.state,
        "lines": [{"name": line.name, "unit_amount": line.unit_amount, "quantity": line.quantity,
                   "amount": line.amount, "exemption": line.exemption} for line in invoice.lines.all()],
        "receipts": [p.receipt.number for p in invoice.payments.all() if hasattr(p, "receipt")],
    }


@router.get("/dossiers/{code}/invoices", response={200: list[InvoiceOut], 404: ErrorOut},
            summary="What I owe on one of my dossiers (fees, financial obligation) and what I paid")
def invoices(request: HttpRequest, code: str) -> Status[Any]:
    dossier = _own(request, code)
    if dossier is None:
        return Status(404, NOT_FOUND)
    rows = invoices_of(dossier).prefetch_related("lines", "payments__receipt")
    return Status(200, [_invoice(invoice) for invoice in rows])


@router.post("/dossiers/{code}/payments", response={201: PaymentStartOut, 404: ErrorOut, 409: ErrorOut},
             summary="Start paying an invoice online: open the returned payment_url in the browser; the gateway's "
                     "server notification (IPN) confirms the payment")
def start_payment(request: HttpRequest, code: str, payload: PaymentStartIn) -> Status[Any]:
    dossier = _own(request, code)
    invoice = Invoice.objects.filter(dossier=dossier, number=payload.invoice).first() if dossier else None
    if invoice is None:
        return Status(404, {"code": "not_found", "message_vi": "Không tìm thấy hồ sơ hoặc hóa đơn.",
                            "message_en": "No such dossier or invoice."})
    return_name = "payments:paygov_return" if payload.provider == Provider.PAYGOV else "payments:vnpay_return"
    try:
        payment, url = start_online_payment(
            invoice, provider=payload.provider, return_url=request.build_absolute_uri(reverse(return_name)),
            client_ip=client_ip(request),
        )
    except PaymentError as exc:
        return Status(409, exc.as_json())
    return Status(201, {"payment_url": url, "order_reference": payment.txn_ref, "amount": payment.amount,
                        "expires_at": payment.expires_at})


class ResultOut(Schema):
    id: int
    name: str
    sha256: str
    signed_at: dt.datetime | None
    certificate_subject: str
    download_url: str


@router.get("/dossiers/{code}/results", response={200: list[ResultOut], 404: ErrorOut},
            summary="The digitally signed e-results of one of my dossiers")
def results(request: HttpRequest, code: str) -> Status[Any]:
    from motcua.signing.selectors import signed_results

    dossier = _own(request, code)
    if dossier is None:
        return Status(404, NOT_FOUND)
    return Status(200, [{"id": r.pk, "name": r.name, "sha256": r.sha256, "signed_at": r.signed_at,
                         "certificate_subject": r.certificate_subject,
                         "download_url": reverse("api:result_file", args=[code, r.pk])}
                        for r in signed_results(dossier)])


@router.get("/dossiers/{code}/results/{result_id}/file", url_name="result_file",
            response={200: bytes, 404: ErrorOut}, summary="Download a signed e-result (PDF) of one of my dossiers")
def result_file(request: HttpRequest, code: str, result_id: int) -> Any:
    from django.http import FileResponse

    from motcua.signing.selectors import signed_result_of_owner

    result = signed_result_of_owner(_user(request), code, result_id)
    if result is None:
        return Status(404, NOT_FOUND)
    response = FileResponse(result.signed_file.open("rb"), as_attachment=True, content_type="application/pdf",
                            filename=f"{code}-ket-qua.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@router.get("/documents", response=list[StoredOut], summary="My personal data store")
def documents(request: HttpRequest) -> list[StoredDocument]:
    return list(StoredDocument.objects.filter(owner=_user(request)).select_related("blob")
                .order_by("-created_at")[:500])
