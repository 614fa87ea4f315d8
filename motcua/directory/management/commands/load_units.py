from typing import Any

from django.core.management.base import BaseCommand

from motcua.directory.units import load_units


class Command(BaseCommand):
    help = "Load the shipped administrative units (34 provinces, 3,321 communes and the pre-2025 map). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_units()
        self.stdout.write(f"units created: {report.units_created}, successions created: {report.successions_created}")
