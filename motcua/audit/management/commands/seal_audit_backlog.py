"""Seal dossier events that have none (history from before the audit chain, or bulk-generated benchmark data)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.audit.actions import seal_backlog


class Command(BaseCommand):
    help = ("Append every unsealed dossier event to the audit chain, oldest first. Run it once after upgrading, "
            "or after a bulk import you have checked: sealing vouches for the rows as they are now.")

    def handle(self, *args: Any, **options: Any) -> None:
        count = seal_backlog()
        self.stdout.write(f"Đã niêm phong / sealed {count} sự kiện / events.")
