"""Reads for the citizen pages."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.directory.models import Agency
from motcua.identity.models import Organisation, User
from motcua.identity.selectors import organisations_of
from motcua.portal.models import FormDraft
from motcua.reports.models import Metric, MonthlyRollup


def most_used_procedures(*, limit: int = 6, months: int = 12, today: dt.date | None = None) -> list[Procedure]:
    """The published procedures with the most dossiers received over the last MONTHS months, most first.

    Read from the monthly figures (maintained as dossiers are received), so the home page never counts the dossier
    table; a procedure nobody has used does not appear."""
    first = (today or timezone.localdate()).replace(day=1)
    year, month = divmod(first.year * 12 + first.month - 1 - (months - 1), 12)
    since = dt.date(year, month + 1, 1)
    counts = (MonthlyRollup.objects.filter(metric=Metric.RECEIVED, month__gte=since)
              .values("procedure").annotate(received=Sum("value")).filter(received__gt=0)
              .order_by("-received", "procedure")[: limit * 3])
    ids = [row["procedure"] for row in counts]
    published = Procedure.objects.published().select_related("current_version").in_bulk(ids)
    return [published[pk] for pk in ids if pk in published][:limit]


def draft_agency(draft: FormDraft) -> Agency | None:
    """The competent agency chosen on DRAFT's applicant page, if it still handles the procedure."""
    chosen = str(draft.applicant.get("agency") or "")
    return draft.procedure.competent_agencies.active().filter(pk=int(chosen)).first() if chosen.isdigit() else None


def draft_organisation(draft: FormDraft, user: User) -> Organisation | None:
    """The organisation DRAFT is submitted for, among those USER represents now (None: for themselves)."""
    chosen = str(draft.applicant.get("organisation") or "")
    return next((o for o in organisations_of(user) if str(o.pk) == chosen), None) if chosen else None
