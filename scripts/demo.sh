#!/usr/bin/env bash
# Install everything and start the demo province (Đồng Nai) at http://127.0.0.1:8000 on SQLite.
set -euo pipefail
LOCK_FILE=requirements.lock
source "$(dirname "$0")/_venv.sh"
export DJANGO_SETTINGS_MODULE=motcua.settings
.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py setup_demo
.venv/bin/python manage.py collectstatic --no-input -v 0
echo "motcua: http://127.0.0.1:${PORT:-8000}/  (quản trị / admin: http://127.0.0.1:${PORT:-8000}/quan-tri/)"
# The job worker delivers notifications and runs exports (django-tasks' database backend: no broker).
.venv/bin/python manage.py db_worker --no-reload >"${MOTCUA_VAR_DIR:-var}/worker.log" 2>&1 &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true' EXIT INT TERM
.venv/bin/python manage.py runserver "127.0.0.1:${PORT:-8000}" --noreload
