"""Shared test set-up: the named cast and a small directory every test can use."""

from motcua.core.tests.cast import *  # noqa: F403
