from typing import Any

from django.core.management.base import BaseCommand

from motcua.reports.rollups import rebuild


class Command(BaseCommand):
    help = "Recompute the monthly statistics from the dossier events (they must equal the incremental ones)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{rebuild()} ô số liệu / figures written")
