"""Every page carries a strict Content-Security-Policy and a Permissions-Policy (also in the production
profile), and no page or template holds what that policy would block: inline scripts, `on…=` handler
attributes, `style=` attributes. The PDF templates (rendered by WeasyPrint, never sent to a browser) may."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]
# Templates rendered into PDF only.
PDF_TEMPLATES = ("dossiers/templates/dossiers/forms/", "_pdf.html", "_pdf_style.html")


class _InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name, _value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=…>")
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self._in_inline_script = True
        if tag == "style":
            self.found.append("<style>")

    def handle_data(self, data: str) -> None:
        if self._in_inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}…")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False


def inline_code(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_finder_sees_what_the_policy_blocks():
    assert inline_code('<script>alert(1)</script><a onclick="x()" style="color:red">') == [
        "<script>alert(1)…", "<a onclick=…>", "<a style=…>"]
    assert inline_code('<script src="/static/a.js"></script><script type="application/json">{}</script>') == []


def test_no_template_holds_inline_script_handlers_or_styles():
    offenders = {}
    for template in sorted((ROOT / "motcua").rglob("templates/**/*.html")):
        relative = template.relative_to(ROOT / "motcua").as_posix()
        if any(part in relative for part in PDF_TEMPLATES):
            continue
        found = inline_code(template.read_text(encoding="utf-8"))
        if found:
            offenders[relative] = found
    assert offenders == {}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "citizen", "clerk", "leader", "province_admin"])
def test_pages_carry_the_policies_and_no_inline_script(client, request, who, demo_catalog):
    from motcua.dossiers.models import Dossier
    pages = [reverse("catalog:list"), reverse("portal:login"), reverse("backoffice:login")]
    if who != "anonymous":
        user = request.getfixturevalue(who)
        client.force_login(user)
        pages += {"citizen": [reverse("portal:my_dossiers")], "clerk": [reverse("backoffice:home")],
                  "leader": [reverse("backoffice:home"), reverse("reports:report")],
                  "province_admin": [reverse("admin:index")]}[who]
        dossier = Dossier.objects.filter(applicant=user).first()
        if dossier is not None:
            pages.append(reverse("portal:my_dossier", args=[dossier.code]))
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy and "style-src 'self';" in policy
        assert "camera=()" in response["Permissions-Policy"]
        assert inline_code(response.content.decode()) == [], page


@pytest.mark.django_db
def test_the_api_documentation_page_allows_only_its_own_inline_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "'sha256-" in policy and "unsafe-inline" not in policy


def test_the_production_profile_sends_both_policies(tmp_path):
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/dang-nhap/', secure=True)\n"
        "print(r.status_code); print(r['Content-Security-Policy']); print(r['Permissions-Policy'])\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTCUA_", "SECRET_KEY", "DEBUG",
                                                                     "ALLOWED_HOSTS", "DATABASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="motcua.settings", MOTCUA_VAR_DIR=str(tmp_path), MOTCUA_PRODUCTION="true",
               SECRET_KEY="x" * 60, ALLOWED_HOSTS="testserver", MOTCUA_MANIFEST_STATIC="false")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    status, csp, permissions = result.stdout.splitlines()[-3:]
    assert status == "200"
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert "geolocation=()" in permissions
