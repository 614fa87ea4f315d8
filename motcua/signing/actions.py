"""Writes of the signing app: uploading a draft result, approving with the signed result, checking uploads.

Approval with a draft result (`approve_with_result`) signs BEFORE the approval's transaction and commits the
approval, the signed file and the citizen's copy together:
1. the cheap checks first (is approval legal now, may this user approve), so nobody signs for nothing;
2. sign the draft (PKCS#12 or PKCS#11 token, timestamp authority over HTTP) outside any database transaction,
   so a slow token or TSA never holds the dossier's row lock;
3. one transaction: lock the draft, check it is still the one that was signed, approve (the workflow locks the
   dossier and checks the version the leader saw), store the signed PDF, copy it to the citizen's data store and
   mark the dossier's result as returned online.
A signing failure raises before step 3: the dossier stays unapproved. A failure in step 3 rolls everything back
(and removes the files written), so there is never an approved dossier with an unsigned result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from motcua.documents.actions import store_document
from motcua.documents.models import StoredDocument
from motcua.documents.uploads import UploadError, refuse_active_pdf
from motcua.dossiers.actions import approve_dossier
from motcua.dossiers.models import Dossier, DossierDocument, Status
from motcua.dossiers.workflow import WorkflowError, legal_actions, may_take
from motcua.identity.models import User
from motcua.signing import config
from motcua.signing.models import DocumentCheck, ResultDocument
from motcua.signing.pdf import SigningError, Stamp, Verification, check_draft, sign_pdf, verify_pdf

logger = logging.getLogger(__name__)
MAX_DRAFT_BYTES = 20 * 1024 * 1024
# The dossier's return_method once the signed e-result is in the citizen's data store (reports count it).
RETURNED_ONLINE = "online"
DRAFT_STATUSES = frozenset({Status.RECEIVED, Status.PROCESSING, Status.IN_OTHER_AGENCY})


def current_draft(dossier: Dossier) -> ResultDocument | None:
    return ResultDocument.objects.filter(dossier=dossier, state=ResultDocument.State.DRAFT).first()


def signing_configured() -> bool:
    """Whether this deployment can sign results (a draft result could otherwise never be approved)."""
    return config.backend() != ""


def _acts_on_step(dossier: Dossier, user: User) -> bool:
    return may_take(dossier, "forward", user) or may_take(dossier, "approve", user)


def may_upload_draft(dossier: Dossier, user: User) -> bool:
    """Whoever acts on the dossier's current step (the specialist, or the leader at the approval step) while it
    is being processed, when the deployment can sign (a draft nobody can sign would block the approval)."""
    return signing_configured() and dossier.status in DRAFT_STATUSES and _acts_on_step(dossier, user)


def may_remove_draft(dossier: Dossier, user: User) -> bool:
    """Whoever acts on the dossier's current step may always take the draft away (signing configured or not),
    so a draft that cannot be signed never blocks the approval."""
    return _acts_on_step(dossier, user)


def remove_draft(dossier: Dossier, *, actor: User, result_id: int) -> ResultDocument:
    """Take the draft result RESULT_ID off DOSSIER (kept, marked removed): approval then proceeds without it."""
    if not may_remove_draft(dossier, actor):
        raise WorkflowError("forbidden", "Bạn không thể gỡ dự thảo kết quả của hồ sơ này.",
                            "You may not remove the draft result of this dossier.")
    with transaction.atomic():
        result = ResultDocument.objects.select_for_update().filter(dossier=dossier, pk=result_id).first()
        if result is None or result.state != ResultDocument.State.DRAFT:
            raise WorkflowError("not_draft", "Chỉ gỡ được dự thảo chưa ký.", "Only an unsigned draft can be removed.")
        result.state = ResultDocument.State.REMOVED
        result.save(update_fields=["state"])
    logger.info("Draft result %s of dossier %s removed by %s", result.pk, dossier.code, actor.pk)
    return result


def upload_draft(dossier: Dossier, *, actor: User, name: str, content: bytes) -> ResultDocument:
    """Attach CONTENT (a PDF) as the draft result; an earlier draft is replaced."""
    if not may_upload_draft(dossier, actor):
        raise WorkflowError("forbidden", "Bạn không thể tải lên dự thảo kết quả cho hồ sơ này lúc này.",
                            "You may not upload a draft result for this dossier now.")
    if len(content) > MAX_DRAFT_BYTES:
        raise WorkflowError("too_large", "Tệp lớn hơn 20 MB.", "The file is larger than 20 MB.")
    try:
        check_draft(content)
    except SigningError as exc:
        raise WorkflowError("bad_draft", "Dự thảo kết quả phải là tệp PDF đọc được, chưa ký và không mã hóa.",
                            "The draft result must be a readable, unsigned, unencrypted PDF.") from exc
    try:  # a result the citizen opens must not run anything in their reader, as for every upload
        refuse_active_pdf((name or "ket-qua.pdf")[:100], content)
    except UploadError as exc:
        raise WorkflowError(exc.code, exc.message_vi, exc.message_en) from exc
    with transaction.atomic():
        ResultDocument.objects.select_for_update().filter(dossier=dossier, state=ResultDocument.State.DRAFT).update(
            state=ResultDocument.State.REPLACED)
        result = ResultDocument(dossier=dossier, name=(name or "ket-qua.pdf")[:255], uploaded_by=actor,
                                draft_sha256=hashlib.sha256(content).hexdigest())
        result.draft_file.save("ket-qua.pdf", ContentFile(content), save=False)
        result.save()
    return result


def verification_url(code: str) -> str:
    return settings.MOTCUA_PUBLIC_URL.rstrip("/") + reverse("signing:verify_code", args=[code])


def _stamp(dossier: Dossier, code: str, now: dt.datetime) -> Stamp:
    local = timezone.localtime(now)
    agency = dossier.current_agency.name
    return Stamp(
        lines=("Ký bởi: %(signer)s", f"Cơ quan: {agency}", f"Ngày ký: {local:%d/%m/%Y %H:%M}",
               f"Hồ sơ: {dossier.code}", "Xác thực: quét mã QR bên cạnh"),
        verification_url=verification_url(code), box=config.stamp_box(), font_path=config.stamp_font(),
    )


def sign_result(dossier: Dossier, draft: ResultDocument, now: dt.datetime) -> bytes:
    """The signed PDF of DRAFT (nothing is saved). Raises SigningError."""
    with draft.draft_file.open("rb") as fh:
        content = fh.read()
    if hashlib.sha256(content).hexdigest() != draft.draft_sha256:
        raise SigningError("the stored draft does not match its checksum")
    with config.agency_signer() as signer:
        return sign_pdf(content, signer=signer, stamp=_stamp(dossier, draft.verification_code, now),
                        reason=f"Phê duyệt kết quả hồ sơ {dossier.code}", location=settings.MOTCUA_SITE_NAME,
                        timestamper=config.timestamper())


SIGNING_FAILED = ("Không ký số được kết quả nên hồ sơ CHƯA được phê duyệt. Vui lòng thử lại hoặc báo quản trị.",
                  "The result could not be signed, so the dossier has NOT been approved. Try again or tell the "
                  "administrator.")


def approve_with_result(dossier: Dossier, *, actor: User, expected_version: int | None = None, note: str = "",
                        at: dt.datetime | None = None) -> Dossier:
    """The leader's approval: plain `approve_dossier` when there is no draft result, else sign and approve
    together (see the module docstring)."""
    draft = current_draft(dossier)
    if draft is None:
        return approve_dossier(dossier, actor=actor, expected_version=expected_version, note=note, at=at)
    if "approve" not in legal_actions(dossier) or not may_take(dossier, "approve", actor):
        # Let the workflow say precisely why (illegal now, forbidden) without signing anything.
        return approve_dossier(dossier, actor=actor, expected_version=expected_version, note=note, at=at)
    now = at or timezone.now()
    try:
        signed = sign_result(dossier, draft, now)
    except SigningError:
        logger.exception("Signing the result of dossier %s failed", dossier.code)
        raise WorkflowError("signing_failed", *SIGNING_FAILED) from None
    digest = hashlib.sha256(signed).hexdigest()
    report = verify_pdf(signed, trust_roots=config.trust_roots()).last
    written: list[ResultDocument | StoredDocument] = []
    try:
        with transaction.atomic():
            locked = ResultDocument.objects.select_for_update().get(pk=draft.pk)
            if locked.state != ResultDocument.State.DRAFT or locked.draft_sha256 != draft.draft_sha256:
                raise WorkflowError("stale", "Dự thảo kết quả vừa được thay đổi; vui lòng xem lại.",
                                    "The draft result has just changed; please check it again.")
            approved = approve_dossier(dossier, actor=actor, expected_version=expected_version, note=note, at=now)
            locked.signed_file.save(f"{dossier.code}-ket-qua.pdf", ContentFile(signed), save=False)
            written.append(locked)
            locked.state = ResultDocument.State.SIGNED
            locked.sha256 = digest
            locked.signer = actor
            locked.signed_at = report.signed_at if report and report.signed_at else now
            locked.timestamped = bool(report and report.timestamped)
            locked.certificate_subject = report.signer_subject[:500] if report else ""
            locked.certificate_serial = report.signer_serial[:80] if report else ""
            if approved.applicant is not None:
                stored = store_document(
                    owner=approved.applicant, kind=f"ket_qua_{approved.procedure.national_code}"[:50],
                    name=f"{approved.code}-ket-qua.pdf", content=signed, source=StoredDocument.Source.RESULT,
                    dossier_id=approved.pk)
                written.append(stored)
                locked.stored_document = stored
                Dossier.objects.filter(pk=approved.pk).update(return_method=RETURNED_ONLINE)
                approved.return_method = RETURNED_ONLINE
            locked.save()
    except BaseException:
        for row in written:
            field = row.signed_file if isinstance(row, ResultDocument) else row.file
            if field.name:
                field.storage.delete(field.name)
        raise
    return approved


# --- verification -----------------------------------------------------------------------------------

def verify(content: bytes) -> Verification:
    """Our verdict on CONTENT against the configured trust roots."""
    return verify_pdf(content, trust_roots=config.trust_roots())


def check_document(document: DossierDocument) -> DocumentCheck | None:
    """The signature verdict on an uploaded PDF (computed once per file and kept); None for other files."""
    if not document.file or not document.is_servable:  # not while the virus scan runs, never an infected file
        return None
    existing = DocumentCheck.objects.filter(document=document).first()
    if existing is not None and existing.file_name == document.file.name:
        return existing
    try:
        with document.file.open("rb") as fh:
            content = fh.read(MAX_DRAFT_BYTES + 1)
    except OSError:
        return None
    if not content.lstrip()[:5].startswith(b"%PDF-") or len(content) > MAX_DRAFT_BYTES:
        return None
    verdict = verify(content)
    if not verdict.signatures:
        kind = DocumentCheck.Verdict.UNSIGNED
    else:
        kind = DocumentCheck.Verdict.VALID if verdict.valid else DocumentCheck.Verdict.INVALID
    last = verdict.last
    check, _created = DocumentCheck.objects.update_or_create(document=document, defaults={
        "file_name": document.file.name or "", "verdict": kind,
        "signer_subject": last.signer_subject[:500] if last else "",
        "signed_at": last.signed_at if last else None, "problems": list(verdict.problems),
    })
    return check
