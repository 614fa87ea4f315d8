"""Set up the demo province: units, calendar, Đồng Nai agencies and staff, and its procedure catalog."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from motcua.catalog.actions import import_catalog
from motcua.catalog.transfer import load_json
from motcua.demo.directory import AGENCIES, CITIZENS, STAFF, build_demo_directory
from motcua.demo.dossiers import build_demo_dossiers
from motcua.demo.exchange import build_demo_exchange
from motcua.demo.petitions import build_demo_petitions
from motcua.demo.signing import ensure_demo_identities
from motcua.directory.units import load_units
from motcua.signing.demo import DEMO_MARK, ensure_demo_pki

DEMO_CATALOG = Path(__file__).resolve().parents[3] / "catalog" / "fixtures" / "demo_procedures_dong_nai.json"
DEFAULT_PASSWORD = "motcua-demo"  # noqa: S105 - the documented password of the public demo accounts


class Command(BaseCommand):
    help = "Load the demo province (Đồng Nai). Idempotent: running it again changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password", default=os.environ.get("MOTCUA_DEMO_PASSWORD", DEFAULT_PASSWORD),
            help="Password of every demo account (default: %(default)s or $MOTCUA_DEMO_PASSWORD).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        units = load_units()
        with transaction.atomic():
            build_demo_directory(password=options["password"])
            report = import_catalog(load_json(DEMO_CATALOG.read_bytes()))
            dossiers = build_demo_dossiers()
            dossiers += build_demo_exchange()  # a step at an agency outside motcua (docs/document-exchange.md)
            petitions = build_demo_petitions()
        self.stdout.write(
            f"Đơn vị hành chính / units: +{units.units_created}; "
            f"thủ tục / procedures: +{len(report.created)} mới/new, {len(report.unchanged)} không đổi/unchanged; "
            f"hồ sơ mẫu / sample dossiers: +{dossiers}; phản ánh mẫu / sample petitions: +{petitions}"
        )
        self._demo_signing()
        self.stdout.write(f"Tài khoản demo / demo accounts (mật khẩu / password: {options['password']}):")
        for username, full_name, role, agency in STAFF:
            self.stdout.write(f"  {username:<22} {full_name} — {role.label} ({agency})")
        for username, full_name, _national_id, _phone in CITIZENS:
            self.stdout.write(f"  {username:<22} {full_name} — công dân / citizen")

    def _demo_signing(self) -> None:
        """The demo CA and agency certificate that sign e-results in the demo (never in production)."""
        if settings.MOTCUA_PRODUCTION:
            self.stdout.write("Chứng thư ký số demo: không tạo (MOTCUA_PRODUCTION) / demo certificate: not made")
            return
        pki = ensure_demo_pki(Path(settings.MOTCUA_DEMO_SIGNING_DIR), organisation=AGENCIES[0].name,
                              public_url=settings.MOTCUA_PUBLIC_URL)
        state = "mới tạo/created" if pki.created else "đã có/kept"
        self.stdout.write(f"Chứng thư ký số demo / demo signing certificate ({state}, {DEMO_MARK}): {pki.pkcs12}")
        for identity in ensure_demo_identities(pki.directory, public_url=settings.MOTCUA_PUBLIC_URL):
            self.stdout.write(f"  ký bởi / signs: {identity.name} ({identity.get_kind_display()})")
        if not settings.MOTCUA_DEMO_SIGNING:
            self.stdout.write("  MOTCUA_DEMO_SIGNING=true (scripts/demo.sh) ký kết quả bằng chứng thư này / "
                              "signs results with it")
