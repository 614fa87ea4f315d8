"""Result documents issued on a dossier (draft PDF → PAdES-signed e-result) and the signature checks of the
documents citizens upload."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_verification_code() -> str:
    """The public, unguessable code printed as a QR on the signed result (128 bits)."""
    return secrets.token_urlsafe(16)


class ResultDocument(models.Model):
    """The result of a dossier as a PDF: uploaded as a draft, signed by the agency when the leader approves."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft, awaiting approval")
        SIGNED = "signed", _("Signed")
        REPLACED = "replaced", _("Replaced by a newer draft")
        REMOVED = "removed", _("Draft removed")

    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.PROTECT,
                                related_name="result_documents")
    name = models.CharField(_("name"), max_length=255)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    draft_file = models.FileField(_("draft"), upload_to="results/drafts/%Y/%m/")
    draft_sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Printed on the signed PDF as a QR to /xac-thuc/<code>/.
    verification_code = models.CharField(max_length=32, unique=True, default=new_verification_code)
    signed_file = models.FileField(_("signed file"), upload_to="results/signed/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256 of the signed file"), max_length=64, blank=True, db_index=True)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    certificate_subject = models.CharField(_("certificate subject"), max_length=500, blank=True)
    certificate_serial = models.CharField(_("certificate serial number"), max_length=80, blank=True)
    timestamped = models.BooleanField(default=False)
    # Whose certificate signed it (None: the deployment-wide signer, MOTCUA_SIGNING_FALLBACK).
    signing_identity = models.ForeignKey("signing.SigningIdentity", verbose_name=_("signing identity"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    stored_document = models.ForeignKey("documents.StoredDocument", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("result document")
        verbose_name_plural = _("result documents")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            # At most one draft awaiting approval per dossier.
            models.UniqueConstraint(fields=["dossier"], condition=models.Q(state="draft"),
                                    name="result_document_one_draft"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.name} ({self.state})"


class DocumentCheck(models.Model):
    """Our verifier's verdict on a PDF a citizen uploaded with a dossier (kept per file, shown to the clerk)."""

    class Verdict(models.TextChoices):
        VALID = "valid", _("Valid signature")
        INVALID = "invalid", _("Signature not valid")
        UNSIGNED = "unsigned", _("Not signed")

    document = models.OneToOneField("dossiers.DossierDocument", on_delete=models.CASCADE,
                                    related_name="signature_check")
    file_name = models.CharField(max_length=255)  # the file the verdict is about (a new file is checked again)
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    signer_subject = models.CharField(max_length=500, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    problems = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.document_id}: {self.verdict}"


SECRET_NAME_PATTERN = r"^MOTCUA_SIGNING_SECRET_[A-Z0-9_]+$"  # noqa: S105 - a pattern of variable names


class SigningIdentity(models.Model):
    """Whose certificate signs a result: one agency's or one leader's own (docs/signing.md, "Certificate map").

    The key never enters the database: a PKCS#12 file on the server, a PKCS#11 token, or an account at a remote
    signing service (ký số từ xa). Passwords and PINs are read from the environment variable named in
    `secret_name` (or the file named by `<that name>_FILE`), never stored here."""

    class Kind(models.TextChoices):
        FILE = "file", _("PKCS#12 file on the server")
        PKCS11 = "pkcs11", _("PKCS#11 token (USB token, HSM)")
        REMOTE = "remote", _("Remote signing service")

    name = models.CharField(_("name"), max_length=200)
    agency = models.ForeignKey("directory.Agency", verbose_name=_("agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="signing_identities")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leader"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="signing_identities")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    key_reference = models.CharField(
        _("key reference"), max_length=500,
        help_text=_("PKCS#12 file: its path on the server. PKCS#11: the key's label on the token. Remote service: "
                    "the signer's credential (account) at the service."))
    secret_name = models.CharField(
        _("secret (environment variable)"), max_length=100, blank=True,
        validators=[RegexValidator(SECRET_NAME_PATTERN, _("Use a name starting with MOTCUA_SIGNING_SECRET_."))],
        help_text=_("Name of the environment variable (or <name>_FILE) holding the file's password or the token's "
                    "PIN, e.g. MOTCUA_SIGNING_SECRET_VPDKDD. Never the secret itself."))
    pkcs11_lib = models.CharField(_("PKCS#11 module"), max_length=300, blank=True,
                                  help_text=_("Empty: MOTCUA_SIGNING_PKCS11_LIB."))
    token_label = models.CharField(_("token label"), max_length=100, blank=True)
    certificate_pem = models.TextField(
        _("certificate (PEM)"), blank=True,
        help_text=_("Filled by the test signature from the file, token or service; needed when a token holds only "
                    "the key."))
    chain_pem = models.TextField(_("intermediate certificates (PEM)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    certificate_subject = models.CharField(_("certificate subject"), max_length=500, blank=True, editable=False)
    certificate_serial = models.CharField(_("certificate serial number"), max_length=80, blank=True,
                                          editable=False)
    certificate_not_after = models.DateTimeField(_("certificate valid until"), null=True, blank=True,
                                                 editable=False)
    last_test_at = models.DateTimeField(_("last test signature"), null=True, blank=True, editable=False)
    last_test_ok = models.BooleanField(_("last test succeeded"), null=True, editable=False)
    last_test_message = models.CharField(_("last test result"), max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signing identity")
        verbose_name_plural = _("signing identities")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(agency__isnull=False, user__isnull=True)
                           | models.Q(agency__isnull=True, user__isnull=False)),
                name="signing_identity_agency_xor_user"),
            # One active certificate per agency and per leader: which one signs is never a guess.
            models.UniqueConstraint(fields=["agency"], condition=models.Q(is_active=True, agency__isnull=False),
                                    name="signing_identity_one_active_per_agency"),
            models.UniqueConstraint(fields=["user"], condition=models.Q(is_active=True, user__isnull=False),
                                    name="signing_identity_one_active_per_user"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (self.agency_id is None) == (self.user_id is None):
            raise ValidationError(_("Choose either an agency or a leader, not both."))
        if self.kind == self.Kind.PKCS11 and not self.token_label:
            raise ValidationError({"token_label": _("A PKCS#11 identity needs the token's label.")})

    @property
    def holder(self) -> str:
        return str(self.agency or self.user or "")
