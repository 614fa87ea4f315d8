"""Start the local OpenID Connect provider (npm oidc-provider) on loopback for the sign-in tests."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from motcua.identity.tests.vneid_sim import vneid_sim  # noqa: F401 - a fixture
from motcua.integrations.tests.conftest import forget_committed_call_records  # noqa: F401 - a fixture

PROVIDER_DIR = Path(__file__).parent / "oidc_provider"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_provider(redirect_uri):
    """Start the provider for one redirect URI; returns (url, process)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are needed to run the local OIDC provider")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=PROVIDER_DIR, check=True,
                       timeout=300)
    port = _free_port()
    env = {**os.environ, "PORT": str(port), "REDIRECT_URIS": redirect_uri, "NODE_ENV": "test"}
    process = subprocess.Popen([node, "server.mjs"], cwd=PROVIDER_DIR, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stdout.read() if process.stdout else "oidc provider exited") from None
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("the local OIDC provider did not start")
    return url, process


@pytest.fixture(scope="session")
def oidc_provider_url():
    url, process = start_provider("http://testserver/dinh-danh/vneid/callback/")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def vneid(settings, oidc_provider_url):
    """Point the "vneid" provider at the local one (its claims are VNeID-style Vietnamese names)."""
    settings.MOTCUA_OIDC_PROVIDERS = {
        **settings.MOTCUA_OIDC_PROVIDERS,
        "vneid": {**settings.MOTCUA_OIDC_PROVIDERS["vneid"],
                  "server_metadata_url": f"{oidc_provider_url}/.well-known/openid-configuration",
                  "client_id": "motcua", "client_secret": "motcua-test-secret"},
    }
    return oidc_provider_url
