#!/usr/bin/env bash
# Refresh the Vietnamese catalogues after changing UI strings, then compile them:
#   bash scripts/messages.sh   (translate the new empty msgstr entries it reports, then run it again)
# A string goes to the catalogue of the app its file is in (motcua/<app>/locale) or else to motcua/locale. A string
# whose code moved to another app keeps its translation: every translation made so far is offered to each refreshed
# catalogue as a compendium, in the order Django looks them up at run time (motcua/locale first — LOCALE_PATHS —
# then the apps' catalogues in INSTALLED_APPS order). Without it, --no-obsolete dropped such translations.
set -euo pipefail
cd "$(dirname "$0")/../motcua"
PYTHON=../.venv/bin/python
DJANGO=("$PYTHON" -P -m django)
SETTINGS=(--settings=motcua.settings_test --pythonpath=..)

mapfile -t catalogues < <(DJANGO_SETTINGS_MODULE=motcua.settings_test "$PYTHON" -P -c '
import os
import sys
from pathlib import Path
sys.path.insert(0, "..")
import django
django.setup()
from django.apps import apps
print("locale/vi/LC_MESSAGES/django.po")
for app in apps.get_app_configs():
    po = Path(app.path) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    if app.name.startswith("motcua.") and po.exists():
        print(os.path.relpath(po))
')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# (--use-first keeps the first translation of a msgid; msgcat marks a msgid whose catalogues disagree as fuzzy,
# which msgfmt would skip: the catalogues hold no fuzzy entries of their own, so the mark is cleared.)
msgcat --use-first "${catalogues[@]}" | msgattrib --clear-fuzzy -o "$work/compendium.po"

"${DJANGO[@]}" makemessages -l vi "${SETTINGS[@]}" -i "*/tests/*" -i "backoffice/*" -i "node_modules/*" --no-obsolete

for po in "${catalogues[@]}"; do
  # Untranslated entries and makemessages' fuzzy guesses take the translation the compendium has for the same msgid.
  msgattrib --translated --no-fuzzy -o "$work/translated.po" "$po"
  msgmerge --quiet --no-fuzzy-matching --compendium="$work/compendium.po" -o "$work/merged.po" \
    "$work/translated.po" "$po"
  cp "$work/merged.po" "$po"
  untranslated=$(msgattrib --untranslated "$po" | grep -c '^msgid ' || true)
  [ "$untranslated" -gt 1 ] && echo "$po: $((untranslated - 1)) to translate"
done
"${DJANGO[@]}" compilemessages -l vi "${SETTINGS[@]}"
