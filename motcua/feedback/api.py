"""REST endpoints for petitions (the Zalo Mini App): submit (idempotent), list one's own, look up by code and
secret, rate the answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Header, Router, Schema
from ninja.responses import Status

from motcua.directory.models import Agency
from motcua.dossiers import lookup as dossier_lookup
from motcua.dossiers.actions import IntakeError
from motcua.dossiers.api import ErrorOut
from motcua.dossiers.workflow import WorkflowError
from motcua.feedback import actions, selectors
from motcua.feedback.models import Channel, Feedback, FeedbackKind
from motcua.feedback.models import Status as FeedbackStatus
from motcua.identity.models import User
from motcua.identity.tokens import TokenAuth

router = Router(tags=["feedback"])


class FeedbackIn(Schema):
    kind: str                      # a kind's code, e.g. "thu_tuc"
    subject: str                   # procedure | dossier | agency
    agency_eid: str                # the competent agency's e-ID code
    title: str
    content: str
    procedure_code: str = ""
    dossier_code: str = ""
    name: str = ""                 # default: the account's name
    phone: str = ""
    email: str = ""
    consent_to_publish: bool = False


class EventOut(Schema):
    time: dt.datetime
    status: str
    status_label: str
    agency: str | None


class FeedbackOut(Schema):
    code: str
    lookup_secret: str | None = None
    status: str
    status_label: str
    kind: str
    title: str
    agency: str
    received_at: dt.datetime
    due_at: dt.datetime
    answered_at: dt.datetime | None
    reply: str | None
    rating: int | None
    events: list[EventOut] = []


class RatingIn(Schema):
    rating: int
    comment: str = ""


NOT_FOUND = {"code": "not_found", "message_vi": "Không tìm thấy phản ánh với mã và mã tra cứu này.",
             "message_en": "No petition matches this code and look-up code."}


def _out(feedback: Feedback, *, with_secret: bool = False) -> dict[str, Any]:
    answered = feedback.answered_at is not None
    return {
        "code": feedback.code, "lookup_secret": feedback.lookup_secret if with_secret else None,
        "status": feedback.status, "status_label": str(FeedbackStatus(feedback.status).label),
        "kind": feedback.kind.code, "title": feedback.title, "agency": feedback.agency.name,
        "received_at": feedback.received_at, "due_at": feedback.due_at, "answered_at": feedback.answered_at,
        "reply": feedback.reply if answered else None, "rating": feedback.rating,
        "events": [{"time": e.created_at, "status": e.to_status, "status_label": str(FeedbackStatus(e.to_status).label),
                    "agency": e.to_agency.name if e.to_agency else None} for e in selectors.public_events(feedback)],
    }


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)  # noqa: S101 - TokenAuth guarantees it
    return user


@router.get("", response=list[FeedbackOut], auth=TokenAuth(), url_name="feedback",
            summary="My petitions, newest first")
def my_feedback(request: HttpRequest) -> list[dict[str, Any]]:
    rows = (Feedback.objects.filter(petitioner_id=_user(request).pk).select_related("kind", "agency")
            .order_by("-received_at")[:200])
    return [_out(f, with_secret=True) for f in rows]


@router.post("", response={201: FeedbackOut, 422: ErrorOut}, auth=TokenAuth(), url_name="feedback",
             summary="Submit a petition (send an Idempotency-Key header; a retry returns the same petition)")
def submit(request: HttpRequest, payload: FeedbackIn,
           idempotency_key: str = Header("", alias="Idempotency-Key")  # type: ignore[type-arg]
           ) -> Status[Any]:
    user = _user(request)
    try:
        feedback = actions.submit_feedback(
            kind=FeedbackKind.objects.filter(code=payload.kind, is_active=True).first(), subject=payload.subject,
            title=payload.title, content=payload.content,
            agency=Agency.objects.active().filter(eid_code=payload.agency_eid).first(),
            petitioner=actions.Petitioner(payload.name or user.full_name, payload.phone or user.phone,
                                          payload.email or user.email),
            channel=Channel.APP, actor=user, procedure_code=payload.procedure_code,
            dossier_code=payload.dossier_code, consent_to_publish=payload.consent_to_publish,
            idempotency_key=f"api:{user.pk}:{idempotency_key[:60]}" if idempotency_key else None,
        )
    except IntakeError as exc:
        return Status(422, {"code": "invalid", "message_vi": "Phản ánh chưa hợp lệ.",
                            "message_en": "Invalid petition.",
                            "errors": {k: [vi, en] for k, (vi, en) in exc.errors.items()}})
    return Status(201, _out(feedback, with_secret=True))


@router.get("/lookup", response={200: FeedbackOut, 404: ErrorOut, 429: ErrorOut}, auth=None,
            url_name="feedback_lookup", summary="Look a petition up by its code and look-up secret")
def lookup(request: HttpRequest, code: str, secret: str) -> Status[Any]:
    if dossier_lookup.throttled(request):
        return Status(429, {"code": "throttled", "message_vi": "Tra cứu quá nhiều lần; vui lòng thử lại sau một phút.",
                            "message_en": "Too many look-ups; try again in a minute."})
    feedback = selectors.find(code, secret)
    return Status(404, NOT_FOUND) if feedback is None else Status(200, _out(feedback))


@router.post("/{code}/rating", response={200: FeedbackOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             auth=TokenAuth(),
             url_name="feedback_rate", summary="Rate the answer to one of my petitions (once, 1 to 5)")
def rate(request: HttpRequest, code: str, payload: RatingIn) -> Status[Any]:
    feedback = (Feedback.objects.select_related("kind", "agency")
                .filter(code=code.upper()[:60], petitioner_id=_user(request).pk).first())
    if feedback is None:
        return Status(404, NOT_FOUND)
    try:
        feedback = actions.rate_feedback(feedback, rating=payload.rating, comment=payload.comment[:500],
                                         actor=_user(request))
    except WorkflowError as exc:
        return Status(422 if exc.code == "rating" else 409,
                      exc.as_json())
    return Status(200, _out(feedback, with_secret=True))
