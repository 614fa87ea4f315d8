"""Inbound from the national public-service portal (DVCQG): dossiers it forwards, status queries, evaluations.

The messages (the portal's own shapes, and our answers in its envelope) are in the adapter's "Inbound" section
(`adapters/national_portal.py`); this module resolves them against the database and calls the dossier actions.
The HTTP side (authentication, body size, status codes) is in `motcua/integrations/api.py`.
docs/integrations-national-portal.md, "Inbound", says what is evidenced and what is guessed.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone

from motcua.adapters import national_portal as portal
from motcua.catalog.models import Procedure
from motcua.directory.models import Agency
from motcua.dossiers.actions import Applicant, IntakeError, Upload, record_portal_evaluation, submit_dossier
from motcua.dossiers.models import Channel, Dossier, DossierEvent, SurveyResponse
from motcua.dossiers.workflow import WorkflowError
from motcua.integrations.file_fetch import FetchRefused, fetch_file
from motcua.integrations.selectors import portal_status_mapping

logger = logging.getLogger("motcua.integrations.national_portal.inbound")

IDEMPOTENCY_PREFIX = "dvcqg:"
MAX_FILES = 30
RECEIVED_VI = "Tiếp nhận hồ sơ thành công"
_NATIONAL_CODE = re.compile(r"^(\d\.\d{6})\.")  # a locality-suffixed MaTTHC such as 3.000181.000.00.00.H22
_ID_NUMBER = re.compile(r"^(\d{9}|\d{12}|\d{10}|\d{10}-\d{3})$")  # CMND, CCCD, tax code (MaDoiTuong may be a TechID)


@dataclass
class InboundAnswer:
    """The HTTP status and the envelope to send back to the portal."""

    body: dict[str, Any]
    status: int = portal.HTTP_ANSWER
    created: bool = False


def refusal(code: str, message_vi: str, message_en: str, *, status: int = portal.HTTP_ANSWER,
            errors: dict[str, tuple[str, str]] | None = None) -> InboundAnswer:
    body = portal.build_inbound_answer(portal.ERROR_CODE_FAILURE, code, message_vi, message_en=message_en)
    if errors:
        body["errors"] = {key: list(pair) for key, pair in errors.items()}
    return InboundAnswer(body, status)


# --- dossiers pushed by the portal ---------------------------------------------------------------------------------

def _procedure(code: str) -> Procedure | None:
    published = Procedure.objects.published().select_related("current_version")
    found = published.filter(national_code=code).first()
    match = _NATIONAL_CODE.match(code)
    if found is None and match:
        found = published.filter(national_code=match.group(1)).first()
    return found


def _agency(procedure: Procedure, item: portal.InboundDossier) -> Agency | InboundAnswer:
    competent = Agency.objects.active().filter(pk__in=procedure.competent_agencies.values("pk"))
    named = [code for code in item.agency_codes if code]
    found = competent.filter(eid_code__in=named)
    by_code = {agency.eid_code: agency for agency in found}
    for code in named:
        if code in by_code:
            return by_code[code]
    if item.agency_name:
        by_name = list(competent.filter(name__iexact=item.agency_name)[:2])
        if len(by_name) == 1:
            return by_name[0]
    if Agency.objects.active().filter(eid_code__in=named).exists():
        return refusal(item.code, "Đơn vị xử lý không giải quyết thủ tục này.",
                       "The handling agency does not handle this procedure.")
    return refusal(item.code, "Không xác định được đơn vị tiếp nhận hồ sơ (MaDonViXuLy, madonvi hoặc DonViXuLy).",
                   "The receiving agency is unknown (MaDonViXuLy, madonvi or DonViXuLy).")


def _answer_for(dossier: Dossier) -> InboundAnswer:
    """The answer to a push, the same every time for the same dossier (the status it was created with)."""
    first = dossier.events.order_by("seq").first()
    status = first.to_status if first is not None else dossier.status
    code = portal.map_status(status, portal_status_mapping())
    result = portal.inbound_dossier_result(dossier.external_id, dossier.code, code, dossier.submitted_at)
    return InboundAnswer(portal.build_inbound_answer(portal.ERROR_CODE_SUCCESS, dossier.external_id, RECEIVED_VI,
                                                     [result]))


def _existing(code: str) -> Dossier | None:
    return Dossier.objects.filter(idempotency_key=f"{IDEMPOTENCY_PREFIX}{code}").first()


def _uploads(item: portal.InboundDossier, slots: set[str]) -> list[Upload] | InboundAnswer:
    """The files' content: sent inline, or downloaded from an allowed file host of the portal."""
    if len(item.files) > MAX_FILES:
        return refusal(item.code, f"Hồ sơ có quá nhiều tệp (tối đa {MAX_FILES}).",
                       f"The dossier has too many files (at most {MAX_FILES}).")
    uploads, total = [], 0
    for file in item.files:
        content = file.content
        if content is None:
            try:
                content = fetch_file(file.url, name=file.name)
            except FetchRefused as exc:
                logger.warning("national portal dossier %s: file %s not fetched: %s", item.code, file.url,
                               exc.message_en)
                status = portal.HTTP_RETRY_LATER if exc.transient else portal.HTTP_ANSWER
                return refusal(item.code, exc.message_vi, exc.message_en, status=status)
        total += len(content)
        if total > settings.MOTCUA_UPLOAD_MAX_DOSSIER_BYTES:
            return refusal(item.code, "Tổng dung lượng các tệp của hồ sơ vượt giới hạn.",
                           "The files of this dossier together exceed the limit.")
        slot = file.document_code if file.document_code in slots else ""
        uploads.append(Upload(slot=slot, name=file.name, content=content))
    return uploads


def receive_pushed_dossier(body: bytes, *, now: dt.datetime | None = None) -> InboundAnswer:
    """Take in a dossier submitted on the portal: one dossier per MaHoSo, whatever the number of pushes."""
    now = now or timezone.now()
    try:
        item = portal.parse_inbound_dossier(body, now=now)
    except portal.InboundMessageError as exc:
        return refusal(portal.parse_inbound_dossier_code(body), exc.message_vi, exc.message_en)
    existing = _existing(item.code)
    if existing is not None:
        return _answer_for(existing)
    procedure = _procedure(item.procedure_code)
    if procedure is None or procedure.current_version is None:
        return refusal(item.code, f"Không có thủ tục {item.procedure_code} đang tiếp nhận hồ sơ.",
                       f"No procedure {item.procedure_code} is open for dossiers.")
    agency = _agency(procedure, item)
    if isinstance(agency, InboundAnswer):
        return agency
    slots = {str(d.get("code")) for d in procedure.current_version.required_documents}
    uploads = _uploads(item, slots)
    if isinstance(uploads, InboundAnswer):
        return uploads
    id_number = item.applicant_id if _ID_NUMBER.match(item.applicant_id) else ""
    email = item.email
    try:
        validate_email(email) if email else None
    except ValidationError:
        logger.info("national portal dossier %s: e-mail address not kept (not valid)", item.code)
        email = ""
    try:
        dossier = submit_dossier(
            procedure=procedure, channel=Channel.NATIONAL_PORTAL, competent_agency=agency, actor=None,
            applicant=Applicant(name=item.applicant_name, id_number=id_number, phone=item.phone, email=email,
                                address=item.address),
            form_data={}, uploads=uploads, idempotency_key=f"{IDEMPOTENCY_PREFIX}{item.code}", external_id=item.code,
            return_method="postal" if item.by_post else "counter", at=min(item.received_at, now),
        )
    except IntakeError as exc:
        existing = _existing(item.code)
        if existing is not None and "idempotency_key" in exc.errors:
            return _answer_for(existing)  # a concurrent push of the same dossier won the race
        vi, en = next(iter(exc.errors.values()))
        return refusal(item.code, vi, en, errors=exc.errors)
    answer = _answer_for(dossier)
    answer.created = True
    logger.info("national portal dossier %s received as %s", item.code, dossier.code)
    return answer


# --- status queries ------------------------------------------------------------------------------------------------

def visible_dossier(code: str) -> Dossier | None:
    """A dossier the portal may ask about: one it forwarded (by its MaHoSo), or one of ours that was queued for it
    (by our code; every dossier with a public event is)."""
    if not code:
        return None
    return (Dossier.objects.filter(Q(channel=Channel.NATIONAL_PORTAL, external_id=code)
                                   | Q(code=code, portal_syncs__isnull=False))
            .select_related("procedure", "current_agency").distinct().first())


def portal_code_of(dossier: Dossier) -> str:
    from motcua.integrations.national_portal_sync import portal_code

    return portal_code(dossier)


def _progress(dossier: Dossier, mapping: dict[str, str]) -> tuple[portal.ProgressStep, ...]:
    from motcua.dossiers.workflow import action_label_vi

    steps = []
    code = portal_code_of(dossier)
    events = DossierEvent.objects.filter(dossier=dossier, is_public=True).select_related(
        "actor", "to_agency").order_by("seq")
    for event in events:
        agency = event.to_agency or dossier.current_agency
        handler = (event.actor.get_full_name() or event.actor.get_username()) if event.actor else ""
        action = action_label_vi(event.action)
        steps.append(portal.ProgressStep(
            dossier_code=code, handler=handler or agency.name, handled_at=event.created_at,
            status_code=portal.map_status(event.to_status, mapping),
            action=f"{action} - {event.note}" if event.note else action, department=agency.name,
            started_at=event.created_at))
    return tuple(steps)


def dossier_status(body: bytes) -> InboundAnswer:
    try:
        code = portal.parse_status_query(body)
    except portal.InboundMessageError as exc:
        return refusal("", exc.message_vi, exc.message_en)
    dossier = visible_dossier(code)
    if dossier is None:
        return refusal(code, "Không tìm thấy hồ sơ.", "No such dossier.")
    mapping = portal_status_mapping()
    try:
        status = portal.DossierStatus(
            code=portal_code_of(dossier), receipt_number=dossier.code,
            status_code=portal.map_status(dossier.status, mapping), submitted_at=dossier.submitted_at,
            received_at=dossier.received_at, due_at=dossier.effective_due_at,
            returned_at=dossier.finished_at if dossier.status == "returned" else None,
            finished_at=dossier.finished_at, progress=_progress(dossier, mapping))
    except portal.PortalMappingError:
        return refusal(code, "Trạng thái hồ sơ chưa có mã tương ứng trên Cổng Dịch vụ công quốc gia.",
                       "The dossier's status has no national portal code.")
    return InboundAnswer(portal.build_inbound_answer(portal.ERROR_CODE_SUCCESS, code, "Thành công",
                                                     [portal.status_result(status)]))


# --- evaluations ---------------------------------------------------------------------------------------------------

def receive_evaluations(body: bytes, *, now: dt.datetime | None = None) -> InboundAnswer:
    """Store each evaluation as its dossier's satisfaction survey (counted like a local one). All or nothing for a
    malformed message; per dossier, an unknown or not yet returned one is reported in the result and skipped."""
    now = now or timezone.now()
    try:
        evaluations = portal.parse_inbound_evaluations(body, now=now)
    except portal.InboundMessageError as exc:
        return refusal("", exc.message_vi, exc.message_en)
    result, refused = [], 0
    for evaluation in evaluations:
        dossier = visible_dossier(evaluation.dossier_code)
        outcome: dict[str, Any] = {"MaHoSo": evaluation.dossier_code}
        if dossier is None:
            outcome.update(error_code=portal.ERROR_CODE_FAILURE, message="Không tìm thấy hồ sơ.")
        else:
            try:
                _response, created = record_portal_evaluation(dossier, answers=dict(evaluation.answers),
                                                               comment=evaluation.comment)
            except WorkflowError as exc:
                outcome.update(error_code=portal.ERROR_CODE_FAILURE, message=exc.message_vi)
            else:
                outcome.update(error_code=portal.ERROR_CODE_SUCCESS,
                               message="Đã lưu đánh giá." if created else "Hồ sơ đã có đánh giá trước đó.")
        refused += outcome["error_code"] != portal.ERROR_CODE_SUCCESS
        result.append(outcome)
    code = evaluations[0].dossier_code if len(evaluations) == 1 else ""
    if refused == len(evaluations):
        body_ = portal.build_inbound_answer(portal.ERROR_CODE_FAILURE, code, str(result[0]["message"]), result,
                                            message_en="No evaluation was stored.")
        return InboundAnswer(body_)
    text = "Thành công" if not refused else f"Thành công một phần: {refused} đánh giá không được lưu"
    return InboundAnswer(portal.build_inbound_answer(portal.ERROR_CODE_SUCCESS, code, text, result))


@dataclass
class _Tally:
    total: int = 0
    levels: list[int] = field(default_factory=lambda: [0, 0, 0])
    service: list[int] = field(default_factory=lambda: [0, 0, 0])
    comments: list[str] = field(default_factory=list)


def _bucket(value: int) -> int:
    return 0 if value >= 5 else 1 if value == 4 else 2


def evaluation_summary(body: bytes) -> InboundAnswer:
    """The month's evaluations in the DongBoDanhGia shape (§1.7): one item per agency and procedure, from every
    survey stored that month (answered here or forwarded by the portal)."""
    try:
        year, month = portal.parse_summary_month(body)
    except portal.InboundMessageError as exc:
        return refusal("", exc.message_vi, exc.message_en)
    zone = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=zone)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    tallies: dict[tuple[int, int], _Tally] = defaultdict(_Tally)
    names: dict[tuple[int, int], tuple[str, str, str, str]] = {}
    surveys = SurveyResponse.objects.filter(created_at__gte=start, created_at__lt=end).select_related(
        "dossier__competent_agency", "dossier__procedure").order_by("pk")
    for survey in surveys.iterator(chunk_size=2000):
        d = survey.dossier
        key = (d.competent_agency_id, d.procedure_id)
        names[key] = (d.competent_agency.eid_code, d.competent_agency.name, d.procedure.national_code,
                      d.procedure.name)
        tally = tallies[key]
        tally.total += 1
        tally.levels[_bucket(survey.overall)] += 1
        online = survey.answers.get("online") if isinstance(survey.answers, dict) else None
        if isinstance(online, int):
            tally.service[_bucket(online)] += 1
        if survey.comment and len(tally.comments) < 20:
            tally.comments.append(survey.comment)
    items = [portal.evaluation_summary_object(portal.EvaluationSummary(
        year=year, month=month, agency_code=names[key][0], agency_name=names[key][1], procedure_code=names[key][2],
        procedure_name=names[key][3], total=t.total, very_satisfied=t.levels[0], satisfied=t.levels[1],
        not_satisfied=t.levels[2], service_total=sum(t.service), service_very_satisfied=t.service[0],
        service_satisfied=t.service[1], service_not_satisfied=t.service[2], comments=tuple(t.comments)))
        for key, t in sorted(tallies.items(), key=lambda kv: names[kv[0]])]
    return InboundAnswer(portal.build_inbound_answer(portal.ERROR_CODE_SUCCESS, "", "Thành công", items))
