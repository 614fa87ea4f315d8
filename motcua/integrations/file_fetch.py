"""Fetch a file from a URL an outside system gave us (the national portal's `DuongDanTaiTepTin`), safely.

The URL comes from outside, so this is an SSRF surface. A fetch is allowed only when:

- the URL's origin (scheme, host, port) is in the allow-list `MOTCUA_NATIONAL_PORTAL_FILE_ORIGINS` (exact match,
  no wildcards, no user-info in the URL);
- every address the host resolves to is global (public), or the allow-list names that address itself (an operator
  may list a LGSP on a private network as `https://10.1.2.3`); link-local addresses (169.254.0.0/16, the cloud metadata
  service, fe80::/10), multicast, unspecified and reserved ones are refused even when listed;
- the connection goes to the address that was checked (pinned in the transport), so a second DNS answer
  (rebinding) cannot move it elsewhere; TLS still verifies the certificate of the host name;
- each redirect is checked the same way (at most `MAX_REDIRECTS`);
- the body is at most `MOTCUA_UPLOAD_MAX_FILE_BYTES` (by Content-Length when sent, and while reading).

Every attempt goes through `IntegrationClient` (system `dvcqg_files`) and leaves a `CallRecord`.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from django.conf import settings

from motcua.integrations.client import IntegrationClient, IntegrationError
from motcua.integrations.config import SystemConfig

SYSTEM = "dvcqg_files"
MAX_REDIRECTS = 3
DEFAULT_PORTS = {"http": 80, "https": 443}

Resolver = Callable[[str, int], list[str]]
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchRefused(Exception):
    """The file was not fetched; `transient` when asking again later may work (timeouts, 5xx)."""

    def __init__(self, message_vi: str, message_en: str, *, transient: bool = False) -> None:
        super().__init__(message_en)
        self.message_vi = message_vi
        self.message_en = message_en
        self.transient = transient


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"


def _origin(url: str) -> Origin | None:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname or parts.username or parts.password:
        return None
    return Origin(scheme, parts.hostname.lower().rstrip("."), port or DEFAULT_PORTS[scheme])


def allowed_origins() -> set[Origin]:
    origins = set()
    for entry in settings.MOTCUA_NATIONAL_PORTAL_FILE_ORIGINS:
        origin = _origin(str(entry))
        if origin is not None:
            origins.add(origin)
    return origins


def _ip(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def system_resolver(host: str, port: int) -> list[str]:
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})


def vet_url(url: str, *, resolve: Resolver = system_resolver) -> tuple[Origin, str]:
    """The URL's origin and the address to connect to, or `FetchRefused`."""
    refused = FetchRefused("Đường dẫn tải tệp không thuộc máy chủ tệp được phép của Cổng Dịch vụ công quốc gia.",
                           "The file URL is not on an allowed file host of the national portal.")
    origin = _origin(url)
    if origin is None or origin not in allowed_origins():
        raise refused
    listed = _ip(origin.host)
    try:
        found: list[Address | None] = [listed] if listed is not None else [
            _ip(a) for a in resolve(origin.host, origin.port)]
    except OSError:
        raise FetchRefused("Không phân giải được tên máy chủ tệp.", "The file host's name does not resolve.",
                           transient=True) from None
    addresses = [a for a in found if a is not None]
    if not addresses or len(addresses) != len(found):
        raise refused
    for address in addresses:
        if address.is_link_local or address.is_multicast or address.is_unspecified or address.is_reserved:
            raise refused
        if not address.is_global and address != listed:
            raise refused  # a listed name that resolves inside: only an address listed as such may be private
    return origin, str(addresses[0])


class _PinnedBackend(httpcore.SyncBackend):
    """Connects only to the vetted address of the vetted host and port."""

    def __init__(self, pins: dict[tuple[str, int], str]) -> None:
        self.pins = pins

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        address = self.pins.get((host.lower().rstrip("."), port))
        if address is None:
            raise httpcore.ConnectError(f"{host}:{port} was not vetted")
        return super().connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                   socket_options=socket_options)


class GuardedTransport(httpx.HTTPTransport):
    """An httpx transport that connects only to pinned addresses and cuts a body over `limit` bytes."""

    def __init__(self, pins: dict[tuple[str, int], str], limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.too_large = False
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), max_connections=4,
                                             network_backend=_PinnedBackend(pins))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """The answer with its body read here, at most `limit` bytes: a longer one (by Content-Length, or while
        reading) is cut and answered as a local 413, which the client records and does not retry."""
        response = super().handle_request(request)
        length = response.headers.get("Content-Length", "")
        chunks, total = [], 0
        try:
            if not (length.isdigit() and int(length) > self.limit):
                for chunk in response.iter_bytes():  # decoded, chunk by chunk: a compressed bomb stops too
                    total += len(chunk)
                    if total > self.limit:
                        break
                    chunks.append(chunk)
        finally:
            response.close()
        if total > self.limit or (length.isdigit() and int(length) > self.limit):
            self.too_large = True
            return httpx.Response(413, request=request, content=b"")
        headers = [(k, v) for k, v in response.headers.multi_items()
                   if k.lower() not in ("content-length", "content-encoding", "transfer-encoding")]
        return httpx.Response(response.status_code, headers=headers, content=b"".join(chunks), request=request)


@dataclass(frozen=True)
class _Redirect:
    location: str


def _parse(response: httpx.Response) -> bytes | _Redirect:
    if response.status_code in (301, 302, 303, 307, 308) and response.headers.get("Location"):
        return _Redirect(response.headers["Location"])
    if response.status_code != 200:
        raise ValueError(f"HTTP {response.status_code}")
    return response.content


def fetch_file(url: str, *, name: str = "", resolve: Resolver = system_resolver) -> bytes:
    """The bytes at URL (an allowed file host of the portal), or `FetchRefused` with a reason for the portal."""
    limit = int(settings.MOTCUA_UPLOAD_MAX_FILE_BYTES)
    label = name or url
    for _hop in range(MAX_REDIRECTS + 1):
        origin, address = vet_url(url, resolve=resolve)
        transport = GuardedTransport({(origin.host, origin.port): address}, limit)
        config = SystemConfig(name=SYSTEM, base_url=str(origin), label="Tệp của Cổng DVCQG", connect_timeout=5.0,
                              read_timeout=float(settings.MOTCUA_NATIONAL_PORTAL_FILE_TIMEOUT_SECONDS),
                              max_attempts=2, backoff_base=0.2, backoff_max=1.0, breaker_failures=20,
                              breaker_reset_seconds=30.0)
        try:
            with IntegrationClient(config, transport=transport) as client:
                value = client.call("TaiTepTin", "GET", url, parse=_parse).value
        except IntegrationError as exc:
            if transport.too_large:
                raise FetchRefused(f"Tệp {label} lớn hơn giới hạn cho phép.",
                                   f"The file {label} is larger than the limit.") from exc
            transient = exc.status_code is None or exc.status_code >= 500 or exc.status_code in (408, 429)
            raise FetchRefused(f"Không tải được tệp {label} từ Cổng Dịch vụ công quốc gia.",
                               f"Could not download the file {label} from the national portal ({exc}).",
                               transient=transient) from exc
        if isinstance(value, bytes):
            return value
        url = urljoin(url, value.location)
    raise FetchRefused(f"Tệp {label}: chuyển hướng quá nhiều lần.", f"The file {label}: too many redirects.")
