"""Daily reconciliation of invoices and payments against the gateway (run it from cron every morning)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.payments.models import Provider
from motcua.payments.reconciliation import reconcile


class Command(BaseCommand):
    help = "Compare a day's payments with the gateway and list every mismatch (default: yesterday)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD (default: yesterday, local time)")
        parser.add_argument("--provider", default=Provider.VNPAY, choices=[Provider.VNPAY, Provider.PAYGOV])

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = (dt.date.fromisoformat(options["date"]) if options["date"]
                   else timezone.localdate() - dt.timedelta(days=1))
        except ValueError as exc:
            raise CommandError("Ngày phải có dạng YYYY-MM-DD. / The date must look like YYYY-MM-DD.") from exc
        report = reconcile(day, provider=options["provider"])
        self.stdout.write(
            f"{day} {options['provider']}: đã kiểm tra / checked {report.payments_checked}, "
            f"khớp / matched {report.matched}, đã ghi nhận bổ sung / settled {report.settled}, "
            f"chênh lệch / mismatches {len(report.mismatches)}"
        )
        for mismatch in report.mismatches:
            self.stdout.write(f"  - [{mismatch['kind']}] {mismatch.get('txn_ref') or mismatch.get('invoice', '')}: "
                              f"{mismatch['message_vi']} / {mismatch['message_en']}")
