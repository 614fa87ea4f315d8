"""Queue uploads for virus scanning again: pending ones (run it periodically, e.g. every 10 minutes, when the job
backend cannot defer retries), and on request failed or never-scanned ones (after clamd was first configured)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.documents.uploads import rescan


class Command(BaseCommand):
    help = "Queue pending (and optionally failed / never scanned) uploads for virus scanning."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--failed", action="store_true", help="also retry uploads whose scan failed")
        parser.add_argument("--unscanned", action="store_true",
                            help="also scan uploads stored while no scanner was configured")

    def handle(self, *args: Any, **options: Any) -> None:
        count = rescan(include_failed=options["failed"], include_unscanned=options["unscanned"])
        self.stdout.write(f"{count} upload(s) queued for scanning")
