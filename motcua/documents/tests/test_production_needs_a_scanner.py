"""Production refuses to start when no virus scanner is configured, unless scanning was turned off on purpose
(MOTCUA_VIRUS_SCAN=false): `manage.py` commands fail the system check documents.E001, and so does the WSGI app
gunicorn loads. The demo profile runs without a scanner as before."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {"MOTCUA_PRODUCTION": "true", "DEBUG": "false", "ALLOWED_HOSTS": "dichvucong.dongnai.gov.vn"}


def _run(tmp_path: Path, command: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "SECRET_KEY", "DEBUG",
                                                                        "ALLOWED_HOSTS", "DATABASE_URL"))}
    clean.update(DJANGO_SETTINGS_MODULE="motcua.settings", MOTCUA_VAR_DIR=str(tmp_path),
                 SECRET_KEY=secrets.token_urlsafe(50), **env)
    return subprocess.run([sys.executable, *command], cwd=ROOT, env=clean, capture_output=True, text=True,
                          timeout=120, check=False)


CHECK = ["manage.py", "check"]
WSGI = ["-c", "import motcua.wsgi"]


@pytest.mark.parametrize("command", [CHECK, WSGI], ids=["manage.py", "wsgi"])
def test_production_without_a_scanner_refuses_to_start(tmp_path, command):
    result = _run(tmp_path, command, **PRODUCTION)
    assert result.returncode != 0
    assert "documents.E001" in result.stderr and "No virus scanner is configured" in result.stderr
    assert "MOTCUA_VIRUS_SCAN=false" in result.stderr  # the hint says how to decide otherwise


@pytest.mark.parametrize("command", [CHECK, WSGI], ids=["manage.py", "wsgi"])
@pytest.mark.parametrize("env", [{"MOTCUA_CLAMD_SOCKET": "/run/clamav/clamd.ctl"},
                                 {"MOTCUA_CLAMD_HOST": "clamav.internal"},
                                 {"MOTCUA_VIRUS_SCAN": "false"}],
                         ids=["socket", "host", "turned-off"])
def test_production_starts_with_a_scanner_or_when_scanning_is_turned_off(tmp_path, command, env):
    result = _run(tmp_path, command, **PRODUCTION, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "documents.E001" not in result.stderr


def test_the_demo_profile_starts_without_a_scanner(tmp_path):
    result = _run(tmp_path, CHECK, DEBUG="true")
    assert result.returncode == 0, result.stdout + result.stderr


def test_turning_scanning_off_stores_files_as_not_scanned(settings, db):
    from motcua.documents.models import ScanState
    from motcua.documents.tests.samples import pdf
    from motcua.documents.uploads import check_upload, store_blob

    settings.MOTCUA_CLAMD_SOCKET = "/run/clamav/clamd.ctl"
    settings.MOTCUA_VIRUS_SCAN = False
    assert store_blob(check_upload("a.pdf", pdf("off"))).scan_state == ScanState.NOT_SCANNED
