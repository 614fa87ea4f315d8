"""A real clamd for the tests, on a Unix socket and a loopback TCP port in a temporary folder, with a signature
database generated here (never the official one): an EICAR body signature (.ndb, found anywhere in a file, so
also at the end of a large file and inside archives) and its whole-file MD5 (.hdb, via `sigtool --md5`)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from motcua.documents.tests.samples import EICAR


def _binary(name: str) -> str | None:
    return shutil.which(name) or next((str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name)
                                       if p.exists()), None)


@dataclass(frozen=True)
class Clamd:
    socket_path: str
    port: int
    folder: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _pong(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(2)
            client.connect(path)
            client.sendall(b"zPING\0")
            return client.recv(16).startswith(b"PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def clamd_server() -> Iterator[Clamd]:
    clamd, sigtool = _binary("clamd"), _binary("sigtool")
    if clamd is None or sigtool is None:
        pytest.skip("clamd/sigtool not installed (apt-get install clamav clamav-daemon; .ci/run does it)")
    folder = Path(tempfile.mkdtemp(prefix="motcua-clamd-"))
    database = folder / "db"
    database.mkdir()
    (database / "local.ndb").write_text(f"Motcua.Test.EICAR:0:*:{EICAR.hex()}\n")
    sample = folder / "eicar.bin"
    sample.write_bytes(EICAR)
    md5 = subprocess.run([sigtool, "--md5", str(sample)], check=True, capture_output=True, text=True).stdout
    (database / "local.hdb").write_text(md5.replace("eicar.bin", "Motcua.Test.EICAR.Hash"))
    sample.unlink()
    socket_path, port = str(folder / "clamd.sock"), _free_port()
    config = folder / "clamd.conf"
    config.write_text("\n".join([
        "Foreground yes", f"DatabaseDirectory {database}", f"LocalSocket {socket_path}", "LocalSocketMode 600",
        f"TCPSocket {port}", "TCPAddr 127.0.0.1", f"TemporaryDirectory {folder}", f"LogFile {folder / 'clamd.log'}",
        f"PidFile {folder / 'clamd.pid'}", "ScanArchive yes", "AlertEncrypted yes", "StreamMaxLength 64M",
        "MaxFileSize 64M", "MaxScanSize 128M", "MaxThreads 2", "ReadTimeout 60", "",
    ]))
    process = subprocess.Popen([clamd, "--config-file", str(config)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while not _pong(socket_path):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
                raise RuntimeError(f"clamd did not start (exit {process.poll()}):\n{log[-2000:]}")
            time.sleep(0.2)
        yield Clamd(socket_path=socket_path, port=port, folder=folder)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def clamd_settings(settings, clamd_server: Clamd) -> Clamd:
    """Point the application at the test clamd (Unix socket), with jobs run at once."""
    settings.MOTCUA_CLAMD_SOCKET = clamd_server.socket_path
    settings.MOTCUA_CLAMD_HOST = ""
    settings.MOTCUA_CLAMD_TIMEOUT = 60
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default"]}}
    return clamd_server
