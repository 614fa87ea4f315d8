"""Shared test set-up: the named cast and a small directory every test can use."""

from motcua.core.tests.cast import *  # noqa: F403
from motcua.core.tests.cast import _fresh_cache  # noqa: F401 - autouse; `import *` skips private names
