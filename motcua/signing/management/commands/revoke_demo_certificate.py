"""Revoke a demo certificate: the demo CA adds it to its CRL (served at /xac-thuc/crl/demo-ca.crl and read by the
verifier), so every result it signed shows as revoked on the verification page. The demo only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.signing import demo


class Command(BaseCommand):
    help = "Revoke a DEMO signing certificate (demo CA in MOTCUA_DEMO_SIGNING_DIR) and re-issue its CRL."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--list", action="store_true", help="list the demo certificates and whether revoked")
        which.add_argument("--serial", help="serial number (hex) of the certificate to revoke")
        which.add_argument("--identity", help="name or id of the signing identity whose certificate to revoke")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.MOTCUA_PRODUCTION:
            raise CommandError("The demo CA does not exist in production (MOTCUA_PRODUCTION).")
        directory = Path(settings.MOTCUA_DEMO_SIGNING_DIR)
        if not (directory / demo.ROOT_KEY_FILE).is_file():
            raise CommandError(f"No demo CA in {directory}: run `manage.py setup_demo` first.")
        if options["list"]:
            revoked = demo.revoked_serials(directory)
            for name, cert in demo.demo_certificates(directory):
                serial = format(cert.serial_number, "x")
                state = "THU HỒI / revoked" if serial in revoked else "hiệu lực / valid"
                self.stdout.write(f"{serial}  {state:<22} {name}  {cert.subject.rfc4514_string()}")
            return
        serial = options["serial"] or self._identity_serial(options["identity"])
        try:
            changed = demo.revoke(directory, serial)
        except ValueError as exc:
            raise CommandError(f"Not a serial number: {serial}") from exc
        self.stdout.write(("Đã thu hồi / revoked" if changed else "Đã thu hồi trước đó / already revoked")
                          + f": {serial} (CRL: {directory / demo.CRL_FILE})")

    def _identity_serial(self, name: str) -> str:
        from motcua.signing.models import SigningIdentity

        rows = SigningIdentity.objects.filter(pk=int(name)) if name.isdigit() else \
            SigningIdentity.objects.filter(name=name)
        identity = rows.first()
        if identity is None:
            raise CommandError(f"No signing identity {name!r}.")
        if identity.certificate_serial:
            return identity.certificate_serial
        if identity.kind == SigningIdentity.Kind.FILE:
            from cryptography.hazmat.primitives.serialization import pkcs12

            try:
                _key, cert, _others = pkcs12.load_key_and_certificates(Path(identity.key_reference).read_bytes(), None)
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read {identity.key_reference}: {exc}") from exc
            if cert is not None:
                return format(cert.serial_number, "x")
        raise CommandError("The identity's certificate is not known yet: run Ký thử (test-sign) in the admin first.")
