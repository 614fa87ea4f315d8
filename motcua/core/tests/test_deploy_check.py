"""The production profile passes Django's deployment checklist with warnings as failures; the demo profile,
which serves plain http://127.0.0.1:8000, is not production and says so."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "SECRET_KEY", "DEBUG",
                                                                        "ALLOWED_HOSTS", "DATABASE_URL"))}
    clean.update(DJANGO_SETTINGS_MODULE="motcua.settings", MOTCUA_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=False,
    )


def test_the_production_profile_passes_check_deploy(tmp_path):
    result = _check(tmp_path, MOTCUA_PRODUCTION="true", DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50),
                    ALLOWED_HOSTS="dichvucong.dongnai.gov.vn", MOTCUA_CLAMD_SOCKET="/run/clamav/clamd.ctl")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_demo_profile_is_flagged(tmp_path):
    result = _check(tmp_path, DEBUG="true")
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016", "security.W018"):
        assert warning in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _check(tmp_path, MOTCUA_PRODUCTION="true", ALLOWED_HOSTS="dichvucong.dongnai.gov.vn")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
