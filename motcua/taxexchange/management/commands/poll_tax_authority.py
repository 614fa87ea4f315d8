"""Ask the tax authority for the notices still awaited and the treasury for the confirmations still awaited; send to
the manual path the tax steps whose notice is later than allowed (run every few minutes, or keep it with --loop)."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from motcua.taxexchange.actions import ensure_polling, poll


class Command(BaseCommand):
    help = "Poll the tax authority and the treasury for late notices and payment confirmations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep polling until stopped (SIGTERM/SIGINT)")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between polls with --loop")

    def handle(self, *args: Any, **options: Any) -> None:
        stopping: list[int] = []

        def stop(signum: int, frame: Any) -> None:
            stopping.append(signum)

        ensure_polling()  # the job chain does the same every MOTCUA_TAX_POLL_SECONDS; a lost chain is restarted
        if options["loop"]:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        while True:
            close_old_connections()
            report = poll()
            self.stdout.write(f"asked {report.asked}, notices {report.notices}, confirmations "
                              f"{report.confirmations}, manual {report.fallbacks}, errors {report.errors}")
            self.stdout.flush()
            if not options["loop"]:
                return
            waited = 0.0
            while waited < options["interval"] and not stopping:
                time.sleep(0.2)
                waited += 0.2
            if stopping:
                return
