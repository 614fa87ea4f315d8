#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the database and MEDIA_ROOT of the current environment.
#
#   scripts/restore.sh BACKUP_DIRECTORY [--force]
#
# Stop the app servers and job workers first. The target is what DATABASE_URL / MOTCUA_VAR_DIR / MEDIA_ROOT
# say, as for the application:
#   PostgreSQL  the database must exist and be empty (createdb NAME); with --force its current objects are
#               dropped first (pg_restore --clean --if-exists);
#   SQLite      the file must not exist (with --force it is replaced);
#   media       MEDIA_ROOT must be missing or empty (with --force the backup's files are written over it).
# The sha256 sums in manifest.json are checked before anything is touched. Afterwards run
# `manage.py migrate` (a no-op for a backup of the same version) and start the services again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${MOTCUA_PYTHON:-$ROOT/.venv/bin/python}"
BACKUP="${1:?usage: restore.sh BACKUP_DIRECTORY [--force]}"
FORCE="${2:-}"
BACKUP="$(cd "$BACKUP" && pwd)"

"$PY" - "$BACKUP" <<'EOF'
import hashlib, json, sys
from pathlib import Path
backup = Path(sys.argv[1])
manifest = json.loads((backup / "manifest.json").read_text())
for name, expected in manifest["files"].items():
    digest = hashlib.sha256()
    with open(backup / name, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected:
        sys.exit(f"restore.sh: {name} does not match its sha256 in manifest.json; not restoring")
EOF
BACKUP_VENDOR="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["vendor"])' "$BACKUP/manifest.json")"

eval "$(cd "$ROOT" && "$PY" - <<'EOF'
import os, shlex
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
import django
django.setup()
from django.conf import settings
db = settings.DATABASES["default"]
vendor = "sqlite" if db["ENGINE"].endswith("sqlite3") else "postgresql" if "postgresql" in db["ENGINE"] else "other"
values = {"VENDOR": vendor, "DB_NAME": str(db["NAME"]), "DB_USER": db.get("USER") or "",
          "DB_PASSWORD": db.get("PASSWORD") or "", "DB_HOST": db.get("HOST") or "", "DB_PORT": str(db.get("PORT") or ""),
          "MEDIA": str(settings.MEDIA_ROOT),
          "MEDIA_ON_DISK": "1" if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage") else ""}
for key, value in values.items():
    print(f"{key}={shlex.quote(value)}")
EOF
)"
if [ "$VENDOR" != "$BACKUP_VENDOR" ]; then
  echo "restore.sh: the backup is of $BACKUP_VENDOR, DATABASE_URL points to $VENDOR" >&2
  exit 1
fi

if [ -n "$MEDIA_ON_DISK" ] && [ -d "$MEDIA" ] && [ -n "$(ls -A "$MEDIA")" ] && [ "$FORCE" != "--force" ]; then
  echo "restore.sh: MEDIA_ROOT $MEDIA is not empty (use --force to write over it)" >&2
  exit 1
fi

case "$VENDOR" in
  postgresql)
    CLEAN=()
    [ "$FORCE" = "--force" ] && CLEAN=(--clean --if-exists)
    PGPASSWORD="$DB_PASSWORD" pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
      "${CLEAN[@]}" --host="${DB_HOST:-127.0.0.1}" --port="${DB_PORT:-5432}" --username="${DB_USER:-postgres}" \
      --dbname="$DB_NAME" "$BACKUP/database.dump"
    ;;
  sqlite)
    if [ -e "$DB_NAME" ] && [ "$FORCE" != "--force" ]; then
      echo "restore.sh: $DB_NAME exists (use --force to replace it)" >&2
      exit 1
    fi
    mkdir -p "$(dirname "$DB_NAME")"
    rm -f "$DB_NAME" "$DB_NAME-wal" "$DB_NAME-shm" "$DB_NAME-journal"
    cp "$BACKUP/database.sqlite3" "$DB_NAME.restoring"
    mv "$DB_NAME.restoring" "$DB_NAME"
    ;;
  *) echo "restore.sh: unsupported database engine" >&2; exit 1 ;;
esac

if [ -f "$BACKUP/media.tar.gz" ]; then
  if [ -z "$MEDIA_ON_DISK" ]; then
    echo "restore.sh: the backup has files but MOTCUA_STORAGE is not filesystem; copy media.tar.gz into the" \
         "bucket yourself" >&2
    exit 1
  fi
  mkdir -p "$MEDIA"
  tar --extract --gzip --file="$BACKUP/media.tar.gz" --directory="$MEDIA" --no-same-owner
fi
echo "restored $BACKUP into the $VENDOR database $DB_NAME and $MEDIA"
