"""Check the whole audit chain (run it from cron, and alert on a non-zero exit)."""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.audit.selectors import verify_chain


def _anchor(raw: str) -> tuple[int, str]:
    match = re.fullmatch(r"(\d+):([0-9a-f]{64})", raw.strip().lower())
    if match is None:
        raise CommandError("--anchor phải có dạng VỊ_TRÍ:MÃ_BĂM / --anchor must look like POSITION:HASH")
    return int(match[1]), match[2]


class Command(BaseCommand):
    help = ("Recompute every link of the dossier-event hash chain; exit 1 naming the first broken event, or when "
            "events have no seal.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--anchor", help="POSITION:HASH printed earlier by export_audit_head and kept "
                                             "outside the database: the chain must still contain it")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain(_anchor(options["anchor"]) if options["anchor"] else None)
        self.stdout.write(f"Đã kiểm tra / checked {result.checked} mắt xích / links; đầu chuỗi / head "
                          f"{result.head_position}:{result.head_hash}")
        problems = []
        if result.broken is not None:
            problems.append(f"CHUỖI BỊ PHÁ VỠ / CHAIN BROKEN at {result.broken.describe()}")
        if result.unsealed:
            ids = ", ".join(f"#{i}" for i in result.first_unsealed)
            problems.append(f"{result.unsealed} sự kiện chưa niêm phong / unsealed events (first: {ids}); "
                            "nếu là dữ liệu nhập hợp lệ, chạy / if they are a legitimate import, run "
                            "`manage.py seal_audit_backlog`")
        if problems:
            raise CommandError("\n".join(problems), returncode=1)
        self.stdout.write(self.style.SUCCESS("Chuỗi kiểm toán nguyên vẹn. / The audit chain is intact."))
