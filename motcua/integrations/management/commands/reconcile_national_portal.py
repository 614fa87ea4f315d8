"""Compare recently changed dossiers with the national portal and queue again what differs (run it nightly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.integrations.reconcile_portal import reconcile


class Command(BaseCommand):
    help = ("Ask the national portal (TraCuuHoSo) about the dossiers changed since the last completed run and "
            "queue again the ones it does not hold as last sent. Bounded per run; a stopped run is continued.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=None,
                            help="dossiers per run (default MOTCUA_NATIONAL_PORTAL_RECONCILE_LIMIT)")
        parser.add_argument("--days", type=int, default=None,
                            help="look back this many days instead of since the last completed run")

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("limit", "days"):
            if options[name] is not None and options[name] < 1:
                raise CommandError(f"--{name} phải là số nguyên dương. / --{name} must be a positive whole number.")
        run = reconcile(limit=options["limit"], days=options["days"])
        if run is None:
            self.stdout.write("national portal sync is not configured: nothing reconciled")
            return
        self.stdout.write(
            f"{run.state}: checked {run.checked}, in flight {run.in_flight}, missing {run.missing}, "
            f"status differs {run.status_differs}, dates differ {run.dates_differ}, "
            f"progress missing {run.progress_missing}, queued again {run.requeued}, errors {run.errors}")
        if run.message:
            self.stdout.write(run.message)
        if run.state == run.State.INTERRUPTED:
            raise CommandError("Cổng DVCQG không phản hồi; lần chạy sau sẽ tiếp tục từ chỗ dừng. / The portal did "
                               "not answer; the next run continues where this one stopped.")
