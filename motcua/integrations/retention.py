"""How long the national registries' answers are kept (docs/privacy.md, Retention): registered with the privacy
app's purge (`motcua.privacy.retention`) from `IntegrationsConfig.ready`.

An answer that never became part of a dossier (a counter look-up after which nothing was received, an online
pre-fill look-up of an application never sent, a representation claim's answer that supports nothing) has served its
purpose: it is deleted after `MOTCUA_PRIVACY_REGISTRY_ANSWER_DAYS` (population database) or
`MOTCUA_PRIVACY_BUSINESS_ANSWER_DAYS` (business register). An answer attached to a dossier is the dossier's evidence
(the check of the applicant, an automatically completed step) and is kept with the dossier, a record kept under the
archives law; an answer that supports a representation is kept while that representation exists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.privacy.retention import RetentionRule, register


def expired_registry_answers(cutoff: dt.datetime) -> QuerySet[Any]:
    from motcua.integrations.models import RegistryAnswer

    return RegistryAnswer.objects.filter(answered_at__lt=cutoff, dossier__isnull=True)


def expired_business_answers(cutoff: dt.datetime) -> QuerySet[Any]:
    from motcua.integrations.models import BusinessRegisterAnswer

    return BusinessRegisterAnswer.objects.filter(asked_at__lt=cutoff, dossier__isnull=True,
                                                 representation__isnull=True)


def register_rules() -> None:
    register(RetentionRule("registry_answers", "MOTCUA_PRIVACY_REGISTRY_ANSWER_DAYS", 365,
                           _("Population database answers not kept on a dossier"), expired_registry_answers))
    register(RetentionRule("business_register_answers", "MOTCUA_PRIVACY_BUSINESS_ANSWER_DAYS", 365,
                           _("Business register answers not kept on a dossier or a representation"),
                           expired_business_answers))
