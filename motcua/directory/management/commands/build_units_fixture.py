from typing import Any

from django.core.management.base import BaseCommand

from motcua.directory.units import FIXTURE_PATH, write_fixture
from motcua.directory.units_source import build_fixture


class Command(BaseCommand):
    help = "Rebuild the administrative-units fixture from the vietnamadminunits package (development only)."

    def handle(self, *args: Any, **options: Any) -> None:
        data = build_fixture()
        write_fixture(data)
        self.stdout.write(
            f"{FIXTURE_PATH}: {len(data['provinces'])} provinces, {len(data['communes'])} communes, "
            f"{len(data['legacy_communes'])} legacy communes, {len(data['commune_successions'])} successions"
        )
