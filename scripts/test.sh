#!/usr/bin/env bash
# Install the test dependencies and run the whole test suite.
# SQLite by default; set DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua for PostgreSQL.
set -euo pipefail
LOCK_FILE=requirements-test.lock
source "$(dirname "$0")/_venv.sh"
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
