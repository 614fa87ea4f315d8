"""Public REST endpoint: check the signature of a PDF (the API twin of /xac-thuc/)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from motcua.signing import actions
from motcua.signing.models import ResultDocument
from motcua.signing.selectors import PROBLEM_LABELS

router = Router(tags=["signing"])


class SignatureOut(Schema):
    signer_subject: str
    signer_serial: str
    issuer_subject: str
    signed_at: dt.datetime | None
    timestamped: bool
    intact: bool
    trusted: bool
    whole_file: bool
    revoked: bool = False
    problems: list[str]


class VerificationOut(Schema):
    valid: bool
    is_pdf: bool
    sha256: str
    problems: list[str]
    messages: list[str]
    signatures: list[SignatureOut]
    issued_here: bool


class VerifyError(Schema):
    code: str
    message_vi: str
    message_en: str


@router.post("/verify", response={200: VerificationOut, 413: VerifyError, 429: VerifyError}, auth=None,
             summary="Check a signed PDF: valid only if intact, trusted, whole-file and not modified after signing")
def verify(request: HttpRequest, file: UploadedFile = File(...)) -> Status[Any]:  # type: ignore[type-arg]  # noqa: B008
    if is_ratelimited(request, group="signing:verify", key="ip", rate="30/m", increment=True):
        return Status(429, {"code": "throttled", "message_vi": "Quá nhiều yêu cầu; vui lòng đợi một phút.",
                            "message_en": "Too many requests; wait a minute."})
    if (file.size or 0) > actions.MAX_DRAFT_BYTES:
        return Status(413, {"code": "too_large", "message_vi": "Tệp lớn hơn 20 MB.",
                            "message_en": "The file is larger than 20 MB."})
    content = file.read()
    verdict = actions.verify(content)
    digest = hashlib.sha256(content).hexdigest()
    return Status(200, {
        "valid": verdict.valid, "is_pdf": verdict.is_pdf, "sha256": digest, "problems": list(verdict.problems),
        "messages": [str(PROBLEM_LABELS[p]) for p in verdict.problems if p in PROBLEM_LABELS],
        "signatures": [{**s.__dict__, "problems": list(s.problems)} for s in verdict.signatures],
        "issued_here": ResultDocument.objects.filter(sha256=digest, state=ResultDocument.State.SIGNED).exists(),
    })
