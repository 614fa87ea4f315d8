from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.integrations.actions import purge_call_records


class Command(BaseCommand):
    help = "Delete call records older than MOTCUA_INTEGRATION_RETENTION_DAYS (idempotent; run it daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="override the retention period")

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_call_records(days=options["days"])
        self.stdout.write(f"{deleted} call record(s) deleted")
