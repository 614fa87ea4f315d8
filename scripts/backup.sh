#!/usr/bin/env bash
# Back up the database and the uploaded files (MEDIA_ROOT) of this deployment into one new directory.
#
#   scripts/backup.sh [DESTINATION]        # default: ./var/backups
#
# Reads the same environment as the application (DATABASE_URL, MOTCUA_VAR_DIR, MEDIA_ROOT, ...), so run it
# with the environment of the app servers. Writes DESTINATION/motcua-<UTC time>/ with
#   database.dump     PostgreSQL: pg_dump --format=custom (consistent snapshot, taken while the app runs)
#   database.sqlite3  SQLite: the online backup API (the same as sqlite3's .backup), consistent while the app runs
#   media.tar.gz      every uploaded file (dossier documents, the citizens' data store, issued forms), when they
#                     are on disk (MOTCUA_STORAGE=filesystem); a bucket (s3) is protected by its own versioning
#   manifest.json     when, which database vendor, the applied migrations, and the sha256 of each file above
# and prints that directory's path. Restore with scripts/restore.sh (see docs/operations.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${MOTCUA_PYTHON:-$ROOT/.venv/bin/python}"
DEST="${1:-}"

# The database and media folder exactly as the application sees them.
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
          "MEDIA_ON_DISK": "1" if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage") else "", "VAR": str(settings.VAR_DIR)}
for key, value in values.items():
    print(f"{key}={shlex.quote(value)}")
EOF
)"
DEST="${DEST:-$VAR/backups}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$DEST/motcua-$STAMP"
mkdir -p "$OUT"
chmod 700 "$OUT"

case "$VENDOR" in
  postgresql)
    PGPASSWORD="$DB_PASSWORD" pg_dump --format=custom --no-owner --no-privileges \
      --host="${DB_HOST:-127.0.0.1}" --port="${DB_PORT:-5432}" --username="${DB_USER:-postgres}" \
      --dbname="$DB_NAME" --file="$OUT/database.dump"
    DB_FILE=database.dump
    ;;
  sqlite)
    "$PY" - "$DB_NAME" "$OUT/database.sqlite3" <<'EOF'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)  # sqlite3_backup_*: a consistent copy even while the application writes
ok = target.execute("PRAGMA integrity_check").fetchone()[0]
source.close(); target.close()
sys.exit(0 if ok == "ok" else f"integrity check of the copy: {ok}")
EOF
    DB_FILE=database.sqlite3
    ;;
  *) echo "backup.sh: unsupported database engine" >&2; exit 1 ;;
esac

if [ -n "$MEDIA_ON_DISK" ]; then
  mkdir -p "$MEDIA"
  tar --create --gzip --file="$OUT/media.tar.gz" --directory="$MEDIA" .
else
  echo "backup.sh: uploaded files are in an object-storage bucket (MOTCUA_STORAGE=s3), not in this backup;" \
       "protect them with the bucket's versioning and replication (docs/operations.md)" >&2
fi

"$PY" - "$OUT" "$VENDOR" "$DB_FILE" <<'EOF'
import datetime as dt, hashlib, json, os, sys
from pathlib import Path
out, vendor, db_file = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
import django
django.setup()
from django.db.migrations.recorder import MigrationRecorder
migrations = [f"{app}.{name}" for app, name in
              MigrationRecorder.Migration.objects.order_by("id").values_list("app", "name")]
manifest = {"created_at": dt.datetime.now(dt.UTC).isoformat(), "vendor": vendor, "database": db_file,
            "latest_migrations": migrations[-5:], "migration_count": len(migrations),
            "files": {name: sha256(out / name) for name in (db_file, "media.tar.gz") if (out / name).exists()}}
(out / "manifest.json").write_text(json.dumps(manifest, indent=2))
EOF
echo "$OUT"
