"""How long personal data is kept, and the purge of what has expired (Decree 13/2023/NĐ-CP, Art. 9 and 16:
data is kept no longer than its purpose needs).

Each kind of personal data is a `RetentionRule`: a setting (days; 0 keeps it forever) with a default, and the
rows that have expired before a cut-off. `purge_expired` deletes them (`manage.py purge_personal_data`, or the
`purge_personal_data` job), in batches, and is idempotent: a second run finds nothing.

Another app whose tables hold personal data with a shorter life (e.g. the raw answers of the national population
database, kept on the dossier as evidence) registers its rule with `register(RetentionRule(...))` from its
`AppConfig.ready`; the purge then covers it too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

BATCH = 5000


@dataclass(frozen=True)
class RetentionRule:
    name: str
    setting: str
    default_days: int
    label: Promise | str
    expired: Callable[[dt.datetime], QuerySet[Any]]  # the rows expired before the cut-off

    @property
    def days(self) -> int:
        return int(getattr(settings, self.setting, self.default_days))


def _access_log(cutoff: dt.datetime) -> QuerySet[Any]:
    from motcua.privacy.models import DataAccess

    return DataAccess.objects.filter(at__lt=cutoff)


def _consents(cutoff: dt.datetime) -> QuerySet[Any]:
    """Withdrawn consents, and consents taken at the counter (valid for one visit), past the period; a
    citizen's own standing consent stays until they withdraw it."""
    from motcua.privacy.models import Consent

    return Consent.objects.filter(Q(withdrawn_at__lt=cutoff)
                                  | Q(channel=Consent.Channel.COUNTER, given_at__lt=cutoff))


def _drafts(cutoff: dt.datetime) -> QuerySet[Any]:
    # The portal builds on privacy (consents, access log): its drafts are looked up by app label (Layering).
    drafts: QuerySet[Any] = apps.get_model("portal", "FormDraft").objects.filter(updated_at__lt=cutoff)
    return drafts


RULES: dict[str, RetentionRule] = {}


def register(rule: RetentionRule) -> None:
    RULES[rule.name] = rule


register(RetentionRule("access_log", "MOTCUA_PRIVACY_ACCESS_LOG_DAYS", 730, _("Personal data access log"),
                       _access_log))
register(RetentionRule("consents", "MOTCUA_PRIVACY_CONSENT_DAYS", 1825, _("Withdrawn and counter consents"),
                       _consents))
register(RetentionRule("drafts", "MOTCUA_PRIVACY_DRAFT_DAYS", 90, _("Unsubmitted application drafts"), _drafts))


def purge_expired(*, now: dt.datetime | None = None, dry_run: bool = False,
                  only: str | None = None) -> dict[str, int]:
    """Delete (or, with DRY_RUN, count) the expired rows of every rule (or of ONLY). Returns the counts."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for rule in RULES.values():
        if only and rule.name != only:
            continue
        if rule.days <= 0:
            counts[rule.name] = 0
            continue
        expired = rule.expired(now - dt.timedelta(days=rule.days))
        if dry_run:
            counts[rule.name] = expired.count()
            continue
        total = 0
        while True:
            ids = list(expired.order_by().values_list("pk", flat=True)[:BATCH])
            if not ids:
                break
            expired.model._default_manager.filter(pk__in=ids).delete()
            total += len(ids)
        counts[rule.name] = total
    return counts
