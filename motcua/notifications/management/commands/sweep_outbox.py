"""Run the outbox sweep once (for cron or a systemd timer, or by hand after an incident)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.notifications.actions import ensure_sweeping, sweep


class Command(BaseCommand):
    help = "Recover interrupted deliveries and re-queue overdue notification messages."

    def handle(self, *args: Any, **options: Any) -> None:
        report = sweep()
        ensure_sweeping()
        self.stdout.write(
            f"lấy lại / recovered: {report.recovered}; thất bại / failed: {report.failed}; "
            f"xếp hàng lại / requeued: {report.requeued}"
        )
