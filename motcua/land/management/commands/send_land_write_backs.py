"""Send the approved changes waiting for the land database (cron, every few minutes, like sync_national_portal)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.land.actions import drain_write_backs


class Command(BaseCommand):
    help = "Send every due change to the land database (retries with the same request id)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = drain_write_backs()
        self.stdout.write(f"đã gửi / sent {report['sent']}, thử lại sau / retrying {report['retrying']}, "
                          f"thất bại / failed {report['failed']}")
