#!/usr/bin/env bash
# From a fresh clone, one command: install motcua (requirements.lock) into ./.venv and run the land transfer's
# end-to-end benchmark, bench/land_end_to_end.py (SQLite in the system's temporary directory, made again each run;
# DATABASE_URL=postgres://… for PostgreSQL). Arguments go to the benchmark, e.g. --dossiers 20 --concurrent 4.
set -euo pipefail
LOCK_FILE=requirements.lock
source "$(dirname "$0")/_venv.sh"
exec .venv/bin/python bench/land_end_to_end.py "$@"
