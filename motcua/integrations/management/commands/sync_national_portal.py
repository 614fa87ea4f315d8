"""Send every due dossier status change to the national portal (run every few minutes, e.g. from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.integrations.national_portal_sync import drain, sync_configured


class Command(BaseCommand):
    help = "Send the due PortalSync rows to the national portal, each dossier's in order."

    def handle(self, *args: Any, **options: Any) -> None:
        if not sync_configured():
            self.stdout.write("national portal sync is not configured: nothing sent")
            return
        report = drain()
        self.stdout.write(f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}")
