"""The sending agency's cover letter (công văn đề nghị phối hợp giải quyết hồ sơ) of a dossier step handed to an
outside agency: an administrative letter laid out as Decree 30/2020/NĐ-CP asks (national motto, agency, number and
notation, place and date, V/v excerpt, Kính gửi, body, Nơi nhận, signer), rendered by WeasyPrint with the one-stop
forms' helpers (`dossiers.forms_pdf`), then signed with the sending agency's certificate exactly as a signed
e-result is (`signing.config`, `signing.pdf.sign_pdf`), and attached FIRST to the edXML envelope. Its number and
notation are the envelope's (`Envelope.code`).

Who signs (the same rule as a result, `signing.actions.choose_signer`): the sending agency's active signing
identity; else the deployment-wide signer when MOTCUA_SIGNING_FALLBACK allows it (the demo's DEMO certificate);
else nothing is signed and `CoverLetterError` says so (the step is not sent, see `actions.start_step_exchange`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from motcua.core.errors import UserError
from motcua.directory.models import Agency
from motcua.dossiers import forms_pdf
from motcua.dossiers.models import Dossier
from motcua.signing import config
from motcua.signing.actions import signer_names
from motcua.signing.models import SigningIdentity
from motcua.signing.pdf import SigningError, Stamp, sign_pdf, verify_pdf

logger = logging.getLogger(__name__)

FILE_NAME = "cong-van-de-nghi-phoi-hop.pdf"


class CoverLetterError(UserError):
    """The cover letter could not be made or signed: the step is not sent."""


@dataclass(frozen=True)
class Letter:
    code_number: str
    code_notation: str
    subject: str  # the V/v excerpt
    signer_position: str
    signer_name: str

    @property
    def code(self) -> str:
        return f"{self.code_number}/{self.code_notation}"


def render(dossier: Dossier, letter: Letter, *, sender: Agency, receiver: Agency, now: dt.datetime) -> bytes:
    """The unsigned PDF of LETTER."""
    step = dossier.current_step
    due = dossier.step_due_at
    context = {
        "dossier": dossier, "sender": sender, "receiver": receiver, "code": letter.code,
        # "V/v đề nghị …": the excerpt goes on after "V/v" in lower case (Decree 30/2020, appendix I).
        "excerpt": letter.subject[:1].lower() + letter.subject[1:], "subject": letter.subject,
        "agency_name": forms_pdf.keep_place_together(sender.name.upper(), sender),
        "superior": forms_pdf.keep_place_together(forms_pdf.superior_name(sender), sender.parent),
        "date_line": forms_pdf.keep_place_together(forms_pdf.date_line(sender, now), sender),
        "procedure_name": dossier.procedure_version.name, "procedure_code": dossier.procedure.national_code,
        "received": forms_pdf.long_time(dossier.received_at or dossier.submitted_at),
        "step_name": step.get("name") or step.get("key", ""),
        "due": forms_pdf.long_time(due) if due else "",
        "signer_position": letter.signer_position, "signer_name": letter.signer_name,
    }
    return forms_pdf._pdf(render_to_string("docexchange/cover_letter_pdf.html", context))


def signer_spec(sender: Agency) -> config.SignerSpec:
    """The sending agency's signer: its active identity, else the deployment-wide fallback, else an error."""
    identity = SigningIdentity.objects.filter(agency=sender, is_active=True).first()
    if identity is not None:
        try:
            return config.identity_spec(identity)
        except SigningError as exc:
            logger.exception("Signing identity %s cannot be used for a cover letter", identity.pk)
            raise _failed(sender) from exc
    if config.fallback_enabled():
        return config.global_spec()
    raise CoverLetterError(
        "no_signing_identity",
        f"Chưa có chứng thư ký số của {sender.name} nên không ký được công văn đề nghị phối hợp; hồ sơ CHƯA được "
        "gửi đến cơ quan ngoài hệ thống. Vui lòng báo quản trị khai báo chứng thư ký số của cơ quan rồi chuyển lại.",
        f"There is no signing certificate for {sender.name}, so the cover letter could not be signed and the "
        "dossier has NOT been sent to the outside agency. Ask the administrator to add the agency's signing "
        "identity, then forward the dossier again.")


def _failed(sender: Agency) -> CoverLetterError:
    return CoverLetterError(
        "signing_failed",
        f"Không ký số được công văn đề nghị phối hợp của {sender.name}; hồ sơ CHƯA được gửi đến cơ quan ngoài hệ "
        "thống. Vui lòng thử lại hoặc báo quản trị.",
        f"The cover letter of {sender.name} could not be signed; the dossier has NOT been sent to the outside "
        "agency. Try again or tell the administrator.")


def _outside_event_loop(make: Callable[[], bytes]) -> bytes:
    """MAKE() here, or in a worker thread when this thread runs an event loop (pyHanko signs with asyncio.run: a
    job run at once inside an async caller, as the browser tests' Playwright, would fail). MAKE uses no database."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return make()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(make).result()


def sign(content: bytes, *, dossier: Dossier, sender: Agency, letter: Letter, now: dt.datetime) -> bytes:
    """CONTENT signed by the sending agency (a PAdES certification signature with the visible block, as results)."""
    spec = signer_spec(sender)

    def make() -> bytes:
        with config.open_signer(spec) as signer:
            cert = signer.signing_cert
            if cert is None:
                raise SigningError("the key has no certificate")
            common_name, organisation = signer_names(cert)
            lines = [f"Ký bởi: {common_name or cert.subject.human_friendly}"]
            if organisation:
                lines.append(f"Đơn vị: {organisation}")
            lines += [f"Ngày ký: {timezone.localtime(now):%d/%m/%Y %H:%M}", f"Văn bản số: {letter.code}"]
            stamp = Stamp(lines=tuple(line.replace("%", "%%") for line in lines), verification_url=verify_url,
                          box=config.stamp_box(), font_path=config.stamp_font())
            signed = sign_pdf(content, signer=signer, stamp=stamp, reason=f"Công văn số {letter.code}",
                              location=location, timestamper=config.timestamper(), field_name="CongVan")
        report = verify_pdf(signed, trust_roots=[]).last
        if report is None or not (report.intact and report.cryptographically_valid):
            raise SigningError("the signature made does not match the document (wrong key or signature value)")
        return signed

    verify_url = settings.MOTCUA_PUBLIC_URL.rstrip("/") + reverse("signing:verify")
    location = settings.MOTCUA_SITE_NAME
    try:
        signed = _outside_event_loop(make)
    except SigningError as exc:
        logger.warning("Cover letter %s of dossier %s not signed: %s", letter.code, dossier.code, exc)
        raise _failed(sender) from exc
    return signed


def signed_letter(dossier: Dossier, letter: Letter, *, sender: Agency, receiver: Agency, now: dt.datetime) -> bytes:
    """The signed PDF of LETTER; CoverLetterError when it cannot be signed (nothing is sent then)."""
    return sign(render(dossier, letter, sender=sender, receiver=receiver, now=now), dossier=dossier, sender=sender,
                letter=letter, now=now)
