#!/usr/bin/env bash
# Refresh the Vietnamese catalogue after changing UI strings, then compile it:
#   bash scripts/messages.sh   (edit motcua/locale/vi/LC_MESSAGES/django.po in between, then run again)
set -euo pipefail
cd "$(dirname "$0")/../motcua"
../.venv/bin/python -P -m django makemessages -l vi --settings=motcua.settings_test --pythonpath=.. -i "*/tests/*" -i "backoffice/*" -i "node_modules/*" --no-obsolete
../.venv/bin/python -P -m django compilemessages -l vi --settings=motcua.settings_test --pythonpath=..
