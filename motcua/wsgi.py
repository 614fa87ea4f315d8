import os

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: the security ones that are errors (such as production without a virus scanner,
# documents.E001) stop the app server here, as they stop manage.py.
_serious = [message for message in checks.run_checks(tags=[checks.Tags.security]) if message.is_serious()]
if _serious:
    raise ImproperlyConfigured("\n".join(str(message) for message in _serious))
