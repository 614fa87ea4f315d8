"""Nightly: pull the province's procedures from the national procedures database and report the differences from
the local catalog. Never applies anything (an administrator applies on the "Thủ tục từ CSDL quốc gia" page)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.integrations import catalog_sync


class Command(BaseCommand):
    help = ("Pull procedures from the national procedures database (all of the province's, or --code ...), keep "
            "their snapshots and print how each differs from the local catalog; apply nothing.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", action="append", default=[], help="a national code (repeatable)")
        parser.add_argument("--fields", action="store_true", help="also match fields (LayDanhMucLinhVuc)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["fields"]:
                fields = catalog_sync.sync_fields()
                self.stdout.write(f"fields: {len(fields.matched)} matched, {len(fields.unmatched)} not in the "
                                  "local catalog")
            report = (catalog_sync.pull(options["code"]) if options["code"] else catalog_sync.pull_all())
        except catalog_sync.CatalogSyncError as exc:
            raise CommandError(exc.message_en) from exc
        for snapshot in report.snapshots:
            if snapshot.compared_version_id is None:
                self.stdout.write(f"{snapshot.national_code}: not in the local catalog — {snapshot.name}")
            elif snapshot.differences:
                self.stdout.write(f"{snapshot.national_code}: differs in {', '.join(snapshot.differences)}")
        for code, error in report.errors.items():
            self.stderr.write(f"{code}: {error.message_en}")
        self.stdout.write(f"pulled {len(report.snapshots)}, differing {len(report.differing)}, "
                          f"errors {len(report.errors)}; nothing applied")
