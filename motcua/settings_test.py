"""Settings for the test suite: the normal settings, with fast hashing and no static manifest."""

import atexit
import shutil
import tempfile
from pathlib import Path

from motcua.settings import *  # noqa: F403
from motcua.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_AUTOREFRESH = True

# Uploaded files of the test suite go to a throw-away folder, never to ./var/media.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="motcua-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

# The suite signs the cast in with force_login; two-factor enrolment is required in the tests that are about it
# (motcua/identity/tests/test_two_factor*.py override this), not in every test of a leader's page.
MOTCUA_TWO_FACTOR_OPTIONAL = True
