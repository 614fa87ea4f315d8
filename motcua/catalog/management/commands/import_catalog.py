from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.actions import CatalogImportError, import_catalog
from motcua.catalog.transfer import CatalogFileError, import_workbook, load_json


class Command(BaseCommand):
    help = "Import procedures from a JSON or Excel (.xlsx) catalog file. All or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            if path.suffix.lower() == ".xlsx":
                with path.open("rb") as stream:
                    report = import_workbook(stream)
            else:
                report = import_catalog(load_json(path.read_bytes()))
        except (CatalogFileError, CatalogImportError) as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} lỗi, không nhập thủ tục nào / errors, nothing imported") from exc
        self.stdout.write(
            f"mới/new: {len(report.created)}, phiên bản mới/new versions: {len(report.new_versions)}, "
            f"không đổi/unchanged: {len(report.unchanged)}"
        )
