"""Print the audit chain's head, to publish or anchor outside the database (a log system, a timestamp service)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from motcua.audit.selectors import current_head


class Command(BaseCommand):
    help = "Print the head of the audit chain as POSITION:HASH (or JSON with --json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print {position, hash, exported_at} as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        head = current_head()
        if options["json"]:
            self.stdout.write(json.dumps({"position": head.position, "hash": head.hash,
                                          "exported_at": timezone.now().isoformat()}))
        else:
            self.stdout.write(f"{head.position}:{head.hash}")
