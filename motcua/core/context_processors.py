from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """The portal's name for every page.

    Templates read `portal_name`: Django's own auth views (sign-in, sign-out, password pages) put a `site_name` of
    their own into the context — the request's host ("127.0.0.1:8201") when django.contrib.sites is not installed —
    and a view's context wins over a context processor, so a page reading `site_name` showed the host there.
    `site_name` stays for the templates that still read it outside those views.
    """
    return {"portal_name": settings.MOTCUA_SITE_NAME, "site_name": settings.MOTCUA_SITE_NAME}
