"""Send every due dossier status change to the national portal (run every few minutes, e.g. from cron, or keep one
or more running with --loop)."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from motcua.integrations.national_portal_sync import DrainReport, drain, pending_left, sync_configured


class Command(BaseCommand):
    help = "Send the due PortalSync rows to the national portal, each dossier's in order."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--loop", action="store_true",
                          help="keep draining until stopped (SIGTERM/SIGINT: stops after the row in hand)")
        mode.add_argument("--until-empty", action="store_true",
                          help="keep draining, waiting out back-offs, until no pending row is left")
        parser.add_argument("--interval", type=float, default=5.0,
                            help="seconds to wait when nothing was due (with --loop or --until-empty)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not sync_configured():
            self.stdout.write("national portal sync is not configured: nothing sent")
            return
        if not (options["loop"] or options["until_empty"]):
            report = drain()
            unavailable = "; the portal is unavailable: pass stopped" if report.portal_unavailable else ""
            self.stdout.write(f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}{unavailable}")
            return
        stopping: list[int] = []

        def stop(signum: int, frame: Any) -> None:
            stopping.append(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"{timezone.now():%H:%M:%S} national portal sync worker started")
        self.stdout.flush()
        total = DrainReport()
        interval = max(options["interval"], 0.01)
        while not stopping:
            close_old_connections()
            report = drain(stop=lambda: bool(stopping))
            total.sent, total.retrying, total.failed = (total.sent + report.sent, total.retrying + report.retrying,
                                                        total.failed + report.failed)
            if report.sent or report.failed:
                self.stdout.write(f"{timezone.now():%H:%M:%S} sent {report.sent}, retrying {report.retrying}, "
                                  f"failed {report.failed}")
                self.stdout.flush()
                continue
            if options["until_empty"] and not pending_left():
                break
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(0.05, interval))
        self.stdout.write(f"stopped: sent {total.sent}, retrying {total.retrying}, failed {total.failed}")
