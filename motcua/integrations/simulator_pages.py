"""Links to the local simulators' own pages in the demo (scripts/demo.sh sets MOTCUA_DEMO_SIMULATOR_PAGES_JSON), so a
newcomer finds where the dossiers, the gateway's calls and the monitoring beacons arrive. Shown on the home page and
on the "Kết nối liên thông" page; nothing is shown when the setting is empty (production refuses it)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

LABELS = {
    "dvcqg": _("National public-service portal (simulator): dossiers received"),
    "lgsp": _("Province's LGSP gateway (simulator): relayed calls"),
    "paygov": _("National payment platform (simulator): payments and confirmations"),
    "emc": _("EMC monitoring (simulator): page views recorded"),
    "dancu": _("National population database (simulator): citizens and look-ups"),
    "dkkd": _("National business register (simulator): enterprises and look-ups"),
    "thue": _("Tax authority and State Treasury (simulator): transfer forms, notices, payments"),
    "vneid": _("VNeID (simulator): demo accounts and sign-ins"),
    "remote_signing": _("Remote signing service (simulator): signature requests and confirmations"),
    "dat_dai": _("Land database (simulator): parcels and changes written back"),
    "national_petitions": _("National petitions system (simulator): petitions pulled and answers received"),
    "edxml": _("Document exchange hub (simulator): documents the outside agencies received, their statuses and "
               "answers"),
}


def check(pages: Any) -> dict[str, str]:
    """The setting's value, checked: a JSON object of simulator name -> http(s) URL."""
    if not isinstance(pages, dict):
        raise ImproperlyConfigured("MOTCUA_DEMO_SIMULATOR_PAGES_JSON must be a JSON object {name: URL}")
    for name, url in pages.items():
        if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            raise ImproperlyConfigured(f"MOTCUA_DEMO_SIMULATOR_PAGES_JSON: {name} needs an http(s) URL")
    return {str(name): url for name, url in pages.items()}


def simulator_pages() -> list[dict[str, Any]]:
    return [{"name": name, "label": LABELS.get(name, name), "url": url}
            for name, url in dict(settings.MOTCUA_DEMO_SIMULATOR_PAGES).items()]


def context(request: HttpRequest) -> dict[str, Any]:
    return {"demo_simulators": simulator_pages()}
