from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.privacy.retention import RULES, purge_expired


class Command(BaseCommand):
    help = ("Delete personal data kept longer than its MOTCUA_PRIVACY_*_DAYS period (access log, consents, drafts, "
            "and what other apps registered). Idempotent; run it daily (docs/privacy.md).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")
        parser.add_argument("--only", choices=sorted(RULES), help="purge one kind only")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["only"] and options["only"] not in RULES:
            raise CommandError(f"unknown kind {options['only']}")
        counts = purge_expired(dry_run=options["dry_run"], only=options["only"])
        verb = "would be deleted" if options["dry_run"] else "deleted"
        for name, count in counts.items():
            rule = RULES[name]
            period = f"{rule.days} days" if rule.days > 0 else "kept forever"
            self.stdout.write(f"{name}: {count} {verb} ({period}, {rule.setting})")
