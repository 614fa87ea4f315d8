"""Consent (Decree 13/2023/NĐ-CP, Art. 11): the notice shown before a person's data is looked up or used on their
behalf, and the record that they agreed.

Interface for the views that look a person up (counter intake, online pre-fill after VNeID sign-in):

- in the template, inside the form that triggers the look-up: ``{% load privacy_tags %}{% consent_notice
  "population_lookup" %}`` shows the notice and a required check box named ``consent_population_lookup``;
- in the view, before the look-up: ``if consent_in(request.POST, "population_lookup"): record_consent(...)``,
  else do not look up (and say why); ``consent_given(...)`` tells whether a valid consent is on record (an
  online citizen's consent lasts until withdrawn; a consent taken at the counter lasts
  ``MOTCUA_PRIVACY_COUNTER_CONSENT_MINUTES``, 60 by default, the time of a visit).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.privacy.models import Consent, ConsentPurpose

if TYPE_CHECKING:
    from motcua.dossiers.models import Dossier


@dataclass(frozen=True)
class ConsentNotice:
    purpose: str
    version: str
    title: Promise
    text: Promise

    def sha256(self, language: str) -> str:
        with translation.override(language):
            shown = f"{self.title}\n{self.text}"
        return hashlib.sha256(shown.encode()).hexdigest()


NOTICES: dict[str, ConsentNotice] = {
    ConsentPurpose.POPULATION_LOOKUP: ConsentNotice(
        ConsentPurpose.POPULATION_LOOKUP, "2026-12",
        _("Consent to look you up in the national population database"),
        _("To receive your dossier, we will look up your personal ID number in the national population database "
          "and read your full name, date of birth, sex, permanent and current residence and, where the procedure "
          "needs it, your household relations. The data is used only for this dossier, kept with it as evidence "
          "and read only by the staff who handle it; every read is logged and you can see it under \"My "
          "account\". You may refuse: the dossier is then received from your papers and checked by hand. "
          "(Decree 13/2023/NĐ-CP on personal data protection.)")),
    ConsentPurpose.VNEID_PREFILL: ConsentNotice(
        ConsentPurpose.VNEID_PREFILL, "2026-12",
        _("Consent to fill in your application from the national population database"),
        _("We will use the identity you signed in with (VNeID) to read your full name, date of birth, sex, "
          "permanent and current residence and, where the procedure needs it, your household relations from the "
          "national population database, and fill in your application with them. They are used for your "
          "applications only; every read by staff is logged and shown under \"My account\", where you can also "
          "withdraw this consent. You may refuse and type your details yourself. (Decree 13/2023/NĐ-CP on "
          "personal data protection.)")),
    ConsentPurpose.BUSINESS_LOOKUP: ConsentNotice(
        ConsentPurpose.BUSINESS_LOOKUP, "2026-12",
        _("Consent to look your business up in the national business register"),
        _("We will look the enterprise code up in the national business register and read the business's name, "
          "status and legal representatives, and compare them with your personal ID number to find out whether "
          "you represent it. Every read by staff is logged and shown under \"My account\". (Decree "
          "13/2023/NĐ-CP on personal data protection.)")),
}


def notice(purpose: str) -> ConsentNotice:
    try:
        return NOTICES[purpose]
    except KeyError:
        raise ValueError(f"no consent notice for purpose {purpose!r}") from None


def field_name(purpose: str) -> str:
    """The name of the check box `{% consent_notice purpose %}` renders."""
    return f"consent_{purpose}"


def consent_in(data: Mapping[str, Any], purpose: str) -> bool:
    """Whether the submitted form (request.POST) carries the ticked consent box for PURPOSE."""
    notice(purpose)
    return str(data.get(field_name(purpose), "")) in ("1", "on", "yes", "true")


def counter_window() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "MOTCUA_PRIVACY_COUNTER_CONSENT_MINUTES", 60)))


def _matching(purpose: str, subject: Any, subject_national_id: str) -> QuerySet[Consent]:
    queryset = Consent.objects.filter(purpose=purpose, withdrawn_at__isnull=True)
    if subject is not None and getattr(subject, "pk", None):
        return queryset.filter(subject=subject)
    if subject_national_id:
        return queryset.filter(subject_national_id=subject_national_id)
    return queryset.none()


def record_consent(*, purpose: str, subject: Any = None, subject_national_id: str = "", recorded_by: Any = None,
                   dossier: Dossier | None = None, language: str | None = None) -> Consent:
    """Record that the person (SUBJECT's account, or the holder of SUBJECT_NATIONAL_ID at the counter, with
    RECORDED_BY the clerk) agreed to PURPOSE after seeing its notice in LANGUAGE (the current one by default).
    Idempotent: an active consent of the same person, purpose, channel and notice version given within the
    counter window is returned instead of a second row (a repeated form post)."""
    shown = notice(purpose)
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if subject is not None and not subject_national_id:
        subject_national_id = getattr(subject, "national_id", "") or ""
    if subject is None and not subject_national_id:
        raise ValueError("a consent needs the person: an account or a personal ID number")
    staff = recorded_by if getattr(recorded_by, "is_authenticated", False) else None
    channel = Consent.Channel.COUNTER if staff is not None and staff != subject else Consent.Channel.ONLINE
    with transaction.atomic():
        earlier = (_matching(purpose, subject, subject_national_id)
                   .filter(channel=channel, notice_version=shown.version,
                           given_at__gte=timezone.now() - counter_window())
                   .select_for_update().order_by("-given_at", "-pk").first())
        if earlier is not None:
            if dossier is not None and earlier.dossier_id is None:
                earlier.dossier = dossier
                earlier.save(update_fields=["dossier"])
            return earlier
        return Consent.objects.create(
            subject=subject if getattr(subject, "pk", None) else None, subject_national_id=subject_national_id[:12],
            purpose=purpose, channel=channel, recorded_by=staff, dossier=dossier, notice_version=shown.version,
            notice_sha256=shown.sha256(language), language=language[:10])


def consent_given(*, purpose: str, subject: Any = None, subject_national_id: str = "") -> bool:
    """Whether a valid consent for PURPOSE is on record: the person's own (online) one until withdrawn, or one
    taken at the counter within `MOTCUA_PRIVACY_COUNTER_CONSENT_MINUTES`."""
    notice(purpose)
    queryset = _matching(purpose, subject, subject_national_id)
    recent = timezone.now() - counter_window()
    return bool(queryset.filter(channel=Consent.Channel.ONLINE).exists()
                or queryset.filter(channel=Consent.Channel.COUNTER, given_at__gte=recent).exists())


def withdraw_consent(consent: Consent) -> Consent:
    """The person withdrew CONSENT (from "My account"): kept, marked withdrawn; later look-ups need a new one."""
    if consent.withdrawn_at is None:
        Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
        consent.refresh_from_db(fields=["withdrawn_at"])
    return consent
