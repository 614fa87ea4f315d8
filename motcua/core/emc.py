"""The ministry's EMC monitoring snippet (reference note §8, entirely GUESSED): one external script on every public
portal page, its site code in a data attribute, its origin allowed by the Content-Security-Policy only when it is
configured (MOTCUA_EMC_SCRIPT_URL, MOTCUA_EMC_SITE_ID; docs/integrations.md). Off by default.

GUESSED (no public material): that the snippet can be loaded as one external script reading its site code from
``data-site-id``, and that it reports to its own origin (so that origin goes to ``script-src`` and ``connect-src``,
plus ``img-src`` for pixel beacons). The Ministry's instruction letter gives the real URL and site code; if its
snippet is inline JavaScript, it has to become a static file of this site (no inline script under the CSP)."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

CSP_DIRECTIVES = ("script-src", "connect-src", "img-src")


def script_origin(url: str) -> str:
    """The origin (scheme://host[:port]) of the snippet's URL; refuses anything but an absolute http(s) URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise ImproperlyConfigured("MOTCUA_EMC_SCRIPT_URL must be an absolute http(s) URL without credentials")
    if any(c in url for c in " ;,'\"<>"):
        raise ImproperlyConfigured("MOTCUA_EMC_SCRIPT_URL must not contain spaces, quotes, ';' or ','")
    return f"{parts.scheme}://{parts.netloc}"


@lru_cache(maxsize=8)
def policy_with_origin(policy: str, origin: str) -> str:
    """POLICY with ORIGIN added to script-src, connect-src and img-src (each directive created from default-src
    when absent, so the addition does not loosen anything else)."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    names = [d.split()[0].lower() for d in directives]
    default = next((d.split()[1:] for d in directives if d.split()[0].lower() == "default-src"), ["'self'"])
    for wanted in CSP_DIRECTIVES:
        if wanted in names:
            i = names.index(wanted)
            sources = directives[i].split()[1:]
            if "'none'" in sources:
                sources = []
            if origin not in sources:
                directives[i] = " ".join([wanted, *sources, origin])
        else:
            sources = [s for s in default if s != "'none'"]
            directives.append(" ".join([wanted, *sources, origin]))
            names.append(wanted)
    return "; ".join(directives)


def content_security_policy(policy: str) -> str:
    """The site's policy, widened for the EMC snippet when it is configured."""
    url = settings.MOTCUA_EMC_SCRIPT_URL
    if not url or not policy:
        return policy
    return policy_with_origin(policy, script_origin(url))


def context(request: HttpRequest) -> dict[str, str]:
    """Template context: the snippet's URL and site code (empty: nothing is rendered)."""
    return {"emc_script_url": settings.MOTCUA_EMC_SCRIPT_URL, "emc_site_id": settings.MOTCUA_EMC_SITE_ID}
