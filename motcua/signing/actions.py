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
from dataclasses import dataclass

from asn1crypto import x509  # type: ignore[import-untyped]
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from motcua.documents.actions import store_document
from motcua.documents.models import StoredDocument
from motcua.documents.uploads import UploadError, refuse_active_pdf
from motcua.dossiers.actions import approve_dossier
from motcua.dossiers.models import Dossier, DossierDocument, Status
from motcua.dossiers.workflow import WorkflowError, legal_actions, may_take
from motcua.identity.models import User
from motcua.signing import config
from motcua.signing.models import DocumentCheck, ResultDocument, SigningIdentity
from motcua.signing.pdf import SigningError, Stamp, Verification, check_draft, sign_pdf, verify_pdf
from motcua.signing.selectors import PROBLEM_LABELS

logger = logging.getLogger(__name__)
MAX_DRAFT_BYTES = 20 * 1024 * 1024
# The dossier's return_method once the signed e-result is in the citizen's data store (reports count it).
RETURNED_ONLINE = "online"
DRAFT_STATUSES = frozenset({Status.RECEIVED, Status.PROCESSING, Status.IN_OTHER_AGENCY})


def current_draft(dossier: Dossier) -> ResultDocument | None:
    return ResultDocument.objects.filter(dossier=dossier, state=ResultDocument.State.DRAFT).first()


def signing_configured() -> bool:
    """Whether this deployment can sign results (a draft result could otherwise never be approved): a
    deployment-wide signer, or at least one agency's or leader's signing identity."""
    return config.backend() != "" or SigningIdentity.objects.filter(is_active=True).exists()


@dataclass(frozen=True)
class ChosenSigner:
    """Who signs a dossier's result: a SigningIdentity, or (identity None) the deployment-wide fallback."""

    spec: config.SignerSpec
    identity: SigningIdentity | None


def identity_for(dossier: Dossier, leader: User) -> SigningIdentity | None:
    """The approving leader's own active identity, else the active identity of the agency the dossier's approval
    step belongs to (docs/signing.md, "Certificate map")."""
    own = SigningIdentity.objects.filter(user=leader, is_active=True).first()
    if own is not None:
        return own
    return SigningIdentity.objects.filter(agency_id=dossier.current_agency_id, is_active=True).first()


def choose_signer(dossier: Dossier, leader: User) -> ChosenSigner:
    """The signer of DOSSIER's result when LEADER approves; WorkflowError "no_signing_identity" when there is
    none and no fallback is configured (the approval waits, the draft is kept)."""
    identity = identity_for(dossier, leader)
    if identity is not None:
        try:
            return ChosenSigner(config.identity_spec(identity), identity)
        except SigningError:
            logger.exception("Signing identity %s cannot be used", identity.pk)
            raise WorkflowError("signing_failed", *SIGNING_FAILED) from None
    if config.fallback_enabled():
        return ChosenSigner(config.global_spec(), None)
    agency = dossier.current_agency.name
    leader_name = leader.get_full_name() or leader.get_username()
    raise WorkflowError(
        "no_signing_identity",
        f"Chưa có chứng thư ký số của {agency} hoặc của lãnh đạo {leader_name}, nên hồ sơ CHƯA được phê duyệt. "
        "Dự thảo kết quả vẫn được giữ. Vui lòng báo quản trị khai báo chứng thư ký số (Chứng thư ký số theo cơ "
        "quan, lãnh đạo) rồi phê duyệt lại.",
        f"There is no signing certificate for {agency} or for the leader {leader_name}, so the dossier has NOT "
        "been approved. The draft result is kept. Ask the administrator to add a signing identity, then approve "
        "again.")


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


def signer_names(cert: x509.Certificate) -> tuple[str, str]:
    """(common name, organisation) of the signing certificate's subject, as the stamp prints them."""
    subject = cert.subject.native
    def first(value: object) -> str:
        if isinstance(value, list | tuple):
            value = value[0] if value else ""
        return str(value or "")
    return first(subject.get("common_name")), first(subject.get("organization_name"))


def stamp_lines(cert: x509.Certificate, dossier_code: str, now: dt.datetime) -> tuple[str, ...]:
    """The visible block's text: the signer as the certificate names it (CN, O), never a fixed text."""
    common_name, organisation = signer_names(cert)
    local = timezone.localtime(now)
    lines = [f"Ký bởi: {common_name or cert.subject.human_friendly}"]
    if organisation:
        lines.append(f"Đơn vị: {organisation}")
    lines += [f"Ngày ký: {local:%d/%m/%Y %H:%M}", f"Hồ sơ: {dossier_code}", "Xác thực: quét mã QR bên cạnh"]
    # pyHanko fills %(…)s fields in the stamp text: a "%" in a certificate name must stay a "%".
    return tuple(line.replace("%", "%%") for line in lines)


def sign_result(dossier: Dossier, draft: ResultDocument, now: dt.datetime,
                chosen: ChosenSigner | None = None) -> bytes:
    """The signed PDF of DRAFT (nothing is saved), by CHOSEN (default: the deployment-wide signer).
    Raises SigningError, also when the signature made does not check (a remote service's wrong answer)."""
    with draft.draft_file.open("rb") as fh:
        content = fh.read()
    if hashlib.sha256(content).hexdigest() != draft.draft_sha256:
        raise SigningError("the stored draft does not match its checksum")
    spec = chosen.spec if chosen is not None else config.global_spec()
    with config.open_signer(spec) as signer:
        if signer.signing_cert is None:
            raise SigningError("the key has no certificate")
        stamp = Stamp(lines=stamp_lines(signer.signing_cert, dossier.code, now),
                      verification_url=verification_url(draft.verification_code), box=config.stamp_box(),
                      font_path=config.stamp_font())
        signed = sign_pdf(content, signer=signer, stamp=stamp, reason=f"Phê duyệt kết quả hồ sơ {dossier.code}",
                          location=settings.MOTCUA_SITE_NAME, timestamper=config.timestamper())
    report = verify_pdf(signed, trust_roots=[]).last
    if report is None or not (report.intact and report.cryptographically_valid):
        raise SigningError("the signature made does not match the document (wrong key or signature value)")
    return signed


SIGNING_FAILED = ("Không ký số được kết quả nên hồ sơ CHƯA được phê duyệt. Vui lòng thử lại hoặc báo quản trị.",
                  "The result could not be signed, so the dossier has NOT been approved. Try again or tell the "
                  "administrator.")


SIGNER_REFUSED = ("Người ký đã từ chối ký trên ứng dụng ký số từ xa nên hồ sơ CHƯA được phê duyệt. Dự thảo kết quả "
                  "vẫn được giữ; phê duyệt lại khi sẵn sàng.",
                  "The signer refused the signature in the remote-signing app, so the dossier has NOT been approved. "
                  "The draft result is kept; approve again when ready.")
SIGNER_SILENT = ("Người ký không xác nhận kịp thời trên ứng dụng ký số từ xa nên hồ sơ CHƯA được phê duyệt. Vui lòng "
                 "phê duyệt lại và xác nhận trên điện thoại.",
                 "The signer did not confirm in time in the remote-signing app, so the dossier has NOT been approved. "
                 "Approve again and confirm on the phone.")


def signing_failed_message(exc: SigningError) -> tuple[str, str]:
    """What the leader is told (Vietnamese, English) when signing failed."""
    reason = getattr(exc, "reason", "")
    if reason == "rejected":
        return SIGNER_REFUSED
    if reason in ("expired", "timeout"):
        return SIGNER_SILENT
    return SIGNING_FAILED


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
    chosen = choose_signer(dossier, actor)
    try:
        signed = sign_result(dossier, draft, now, chosen)
    except SigningError as exc:
        logger.exception("Signing the result of dossier %s failed", dossier.code)
        raise WorkflowError("signing_failed", *signing_failed_message(exc)) from None
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
            locked.signing_identity = chosen.identity
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
    """Our verdict on CONTENT against the configured trust roots and revocation lists."""
    return verify_pdf(content, trust_roots=config.trust_roots(), crls=config.crls(),
                      allow_fetching=config.revocation_fetching())


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


# --- the certificate map's test signature ------------------------------------------------------------------

@dataclass(frozen=True)
class TrialSignature:
    ok: bool
    message: str


def _test_document(identity: SigningIdentity) -> bytes:
    import weasyprint

    html = ("<h1>Ký thử — test signature</h1>"
            f"<p>{escape(identity.name)} · {escape(identity.holder)} · {timezone.localtime():%d/%m/%Y %H:%M}</p>")
    return bytes(weasyprint.HTML(string=html).write_pdf())


def trial_sign(identity: SigningIdentity) -> TrialSignature:
    """"Ký thử": open IDENTITY's key, sign a small PDF with it, check the signature against the trust roots and
    record the certificate used (subject, serial, expiry; its PEM when none was given). Nothing else is kept."""
    from asn1crypto import pem

    now = timezone.now()
    try:
        spec = config.identity_spec(identity)
        with config.open_signer(spec) as signer:
            cert = signer.signing_cert
            if cert is None:
                raise SigningError("the key has no certificate")
            stamp = Stamp(lines=stamp_lines(cert, "KY-THU", now), verification_url=verification_url("ky-thu"),
                          box=config.stamp_box(), font_path=config.stamp_font())
            signed = sign_pdf(_test_document(identity), signer=signer, stamp=stamp, reason="Ký thử",
                              timestamper=config.timestamper())
        verdict = verify(signed)
        last = verdict.last
        if last is None or not (last.intact and last.cryptographically_valid):
            outcome = TrialSignature(False, str(_("The test signature does not check: wrong key or certificate.")))
        elif not verdict.valid:
            outcome = TrialSignature(False, str(_("Signed, but the verifier does not accept it: %(problems)s") % {
                "problems": ", ".join(str(PROBLEM_LABELS.get(p, p)) for p in verdict.problems)}))
        else:
            outcome = TrialSignature(True, str(_("Test signature made and verified: %(subject)s") % {
                "subject": cert.subject.human_friendly}))
        identity.certificate_subject = str(cert.subject.human_friendly)[:500]
        identity.certificate_serial = format(cert.serial_number, "x")[:80]
        identity.certificate_not_after = cert["tbs_certificate"]["validity"]["not_after"].native
        if not identity.certificate_pem.strip():
            identity.certificate_pem = pem.armor("CERTIFICATE", cert.dump()).decode("ascii")
    except SigningError as exc:
        logger.warning("Test signature of identity %s failed: %s", identity.pk, exc)
        outcome = TrialSignature(False, str(_("The key could not be used: %(error)s") % {"error": exc})[:500])
    identity.last_test_at = now
    identity.last_test_ok = outcome.ok
    identity.last_test_message = outcome.message[:500]
    identity.save()
    return outcome
