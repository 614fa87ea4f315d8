"""Pull the petitions assigned to the province's agencies from the national petitions system (PAKN), acknowledge
them, and send the answers that are due (motcua.feedback.national_petitions; run from cron when
MOTCUA_PETITIONS_POLL_SECONDS is 0). Also (re)starts the job chain when the setting is positive."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.feedback import national_petitions


class Command(BaseCommand):
    help = "Pull petitions from the national petitions system (PAKN) and send the answers that are due."

    def handle(self, *args: Any, **options: Any) -> None:
        if not national_petitions.configured():
            raise CommandError(f"the system {national_petitions.SYSTEM!r} is not configured "
                               "(MOTCUA_INTEGRATION_SYSTEMS_JSON)")
        national_petitions.ensure_polling()
        report = national_petitions.pull()
        self.stdout.write(f"pulled {report.pulled}, created {report.created}, held {report.held}, "
                          f"duplicates {report.duplicates}, acknowledged {report.acknowledged}, "
                          f"unreadable {report.unreadable}, answers sent {report.answers_sent}")
        if report.error:
            raise CommandError(report.error)
