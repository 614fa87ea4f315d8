"""With PORT set (scripts/demo.sh on another port), the links in QR codes, look-up pages, SMS and e-mails point at
that port, unless MOTCUA_PUBLIC_URL says where the site is."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def public_url(tmp_path: Path, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "PORT", "DATABASE_URL"))}
    clean.update(DJANGO_SETTINGS_MODULE="motcua.settings", MOTCUA_VAR_DIR=str(tmp_path), **env)
    code = "import django; django.setup(); from django.conf import settings; print(settings.MOTCUA_PUBLIC_URL)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True,
                          timeout=120, check=True)
    return done.stdout.strip()


def test_the_public_url_follows_the_port(tmp_path):
    assert public_url(tmp_path) == "http://127.0.0.1:8000"
    assert public_url(tmp_path, PORT="8123") == "http://127.0.0.1:8123"
    assert public_url(tmp_path, PORT="8123", MOTCUA_PUBLIC_URL="https://dichvucong.dongnai.gov.vn") == \
        "https://dichvucong.dongnai.gov.vn"
