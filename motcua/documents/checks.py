"""System checks of the upload pipeline (run by every manage.py command and at the start of the WSGI app)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security)
def virus_scanner_in_production(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Production does not take citizens' files unscanned by accident: with no clamd configured it refuses to
    start, unless scanning was turned off on purpose (MOTCUA_VIRUS_SCAN=false)."""
    scanner = settings.MOTCUA_CLAMD_SOCKET or settings.MOTCUA_CLAMD_HOST
    if settings.MOTCUA_PRODUCTION and settings.MOTCUA_VIRUS_SCAN and not scanner:
        return [Error(
            "No virus scanner is configured for uploaded files.",
            hint="Set MOTCUA_CLAMD_SOCKET or MOTCUA_CLAMD_HOST (docs/uploads.md), or MOTCUA_VIRUS_SCAN=false to run "
                 "without scanning on purpose.",
            id="documents.E001",
        )]
    return []
