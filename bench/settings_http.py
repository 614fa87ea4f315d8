"""Settings of the HTTP benchmark: motcua's production-like settings plus the bare ceiling views."""

from motcua.settings import *  # noqa: F403
from motcua.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.http_app"]
ROOT_URLCONF = "bench.http_urls"
