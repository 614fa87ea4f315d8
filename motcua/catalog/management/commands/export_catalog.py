from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.catalog.actions import export_catalog
from motcua.catalog.transfer import dump_json, write_workbook


class Command(BaseCommand):
    help = "Export the current version of every procedure to a JSON or Excel (.xlsx) file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        records = export_catalog()
        if path.suffix.lower() == ".xlsx":
            path.write_bytes(write_workbook(records))
        else:
            path.write_text(dump_json(records), encoding="utf-8")
        self.stdout.write(f"{len(records)} thủ tục / procedures → {path}")
