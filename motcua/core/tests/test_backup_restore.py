"""scripts/backup.sh and scripts/restore.sh: a dossier with uploaded files is backed up, the database and the
media folder are destroyed, the backup is restored into a fresh place, and the dossier and its files' bytes
(sha256) are all there. On the suite's database vendor: a SQLite file, or throw-away PostgreSQL databases on
the suite's server. A backup whose files do not match their manifest is refused.
"""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]


class Postgres:
    """Throw-away databases on the suite's PostgreSQL server."""

    def __init__(self):
        default = settings.DATABASES["default"]
        self.host, self.port = default.get("HOST") or "127.0.0.1", default.get("PORT") or 5432
        self.user, self.password = default.get("USER") or "postgres", default.get("PASSWORD") or ""
        self.names = []

    def execute(self, sql):
        import psycopg
        from psycopg.conninfo import make_conninfo

        admin = make_conninfo(host=self.host, port=self.port, user=self.user, password=self.password or None,
                              dbname="postgres")
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql)

    def create(self, prefix):
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        self.execute(f'CREATE DATABASE "{name}"')
        self.names.append(name)
        return name

    def drop(self, name):
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def url(self, name):
        secret = f":{self.password}" if self.password else ""
        return f"postgres://{self.user}{secret}@{self.host}:{self.port}/{name}"


@pytest.fixture
def place(tmp_path):
    """PLACE(name) → the environment of a deployment with its own database and media folder."""
    postgres = None if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") else Postgres()

    class Place:
        def __init__(self):
            self.postgres = postgres

        def __call__(self, name):
            var = tmp_path / name
            var.mkdir()
            url = f"sqlite:///{var / 'db.sqlite3'}" if postgres is None else postgres.url(postgres.create(name))
            return {**os.environ, "DJANGO_SETTINGS_MODULE": "motcua.settings", "DATABASE_URL": url,
                    "MOTCUA_VAR_DIR": str(var), "MEDIA_ROOT": str(var / "media"), "MOTCUA_STORAGE": "filesystem",
                    "LOG_LEVEL": "WARNING"}

    yield Place()
    if postgres is not None:
        for name in postgres.names:
            postgres.drop(name)


def run(args, env, check=True):
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=check)


def scenario(env, *args):
    output = run([sys.executable, "-m", "motcua.core.tests.backup_scenario", *args], env).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_backup_destroy_restore_elsewhere_keeps_the_dossier_and_its_files(tmp_path, place):
    source = place("motcua_backup_src")
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], source)
    made = scenario(source, "seed")
    assert made["code"] and len(made["files"]) == 3
    if place.postgres is None:
        # The embedded database runs in WAL mode: the backup must copy what the log holds, not just the file.
        import sqlite3

        with sqlite3.connect(source["DATABASE_URL"].removeprefix("sqlite:///")) as check:
            assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    backup = Path(run(["bash", "scripts/backup.sh", str(tmp_path / "backups")], source).stdout.strip().splitlines()[-1])
    manifest = json.loads((backup / "manifest.json").read_text())
    database_file = "database.sqlite3" if place.postgres is None else "database.dump"
    assert manifest["database"] == database_file and set(manifest["files"]) == {database_file, "media.tar.gz"}

    # Destroy the original: its database and every uploaded file.
    if place.postgres is None:
        for suffix in ("", "-wal", "-shm"):
            Path(source["DATABASE_URL"].removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    else:
        place.postgres.drop(source["DATABASE_URL"].rsplit("/", 1)[1])
    shutil.rmtree(source["MEDIA_ROOT"])

    target = place("motcua_backup_dst")
    restored = run(["bash", "scripts/restore.sh", str(backup)], target)
    assert "restored" in restored.stdout
    # The schema is complete (nothing left to migrate) and the dossier and its files are intact.
    assert "[ ]" not in run([sys.executable, "manage.py", "showmigrations"], target).stdout
    assert scenario(target, "report", made["code"]) == made
    assert scenario(target, "report", "NO-SUCH-CODE") == {"code": None}

    # A damaged backup is refused before anything is touched.
    damaged = tmp_path / "damaged"
    shutil.copytree(backup, damaged)
    with open(damaged / "media.tar.gz", "r+b") as handle:
        handle.seek(20)
        byte = handle.read(1)
        handle.seek(20)
        handle.write(bytes([byte[0] ^ 0xFF]))
    elsewhere = place("motcua_backup_bad")
    refused = run(["bash", "scripts/restore.sh", str(damaged)], elsewhere, check=False)
    assert refused.returncode != 0 and "sha256" in refused.stderr
    assert not Path(elsewhere["MEDIA_ROOT"]).exists()
