"""Settings of the workflow benchmark: motcua's, plus django-viewflow and the bench app (never in production)."""

from motcua.settings import *  # noqa: F403
from motcua.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "viewflow", "viewflow.workflow", "bench.workflow_app"]
