"""Admin site settings. The permission mixin driven by motcua roles (rather than Django's model permissions) is
`directory.admin_access`: the roles live in the directory."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Một cửa điện tử — administration")
admin.site.site_title = _("Một cửa điện tử")
admin.site.index_title = _("Administration")
