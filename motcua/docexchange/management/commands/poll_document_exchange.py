"""Poll the document exchange hub once: send again what it did not take, fetch, apply and acknowledge the status
messages and answers it holds for us (docs/document-exchange.md). Run it from cron when the job chain is off."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.docexchange import actions


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        if not actions.hub_configured():
            self.stdout.write("document exchange hub not configured: nothing to do")
            return
        report = actions.poll()
        actions.ensure_polling()
        self.stdout.write(f"resent {report.resent}, fetched {report.fetched}, applied {report.applied}, "
                          f"rejected {report.rejected}, errors {report.errors}")
        if report.errors:
            raise SystemExit(1)
