"""A local VNeID-like OpenID Connect provider (demo people with level 1 and level 2 accounts), with fault injection.

Run it:  python -m simulators.vneid --port 8306 --redirect-uri http://127.0.0.1:8000/dinh-danh/vneid/callback/
then configure the province (scripts/_demo_simulators.sh does it for the demo; docs/vneid.md):
    MOTCUA_OIDC_PROVIDERS_JSON='{"vneid": {"server_metadata_url": "http://127.0.0.1:8306/.well-known/openid-configuration",
                                          "client_id": "motcua-demo", "client_secret": "motcua-demo-vneid-secret"}}'

It speaks the shapes of ``motcua.adapters.vneid`` (all GUESSED: no public specification of VNeID as a
provider exists) and needs no Django:

- ``GET  /.well-known/openid-configuration``  discovery; ``GET /jwks`` the public signing key (RS256, joserfc);
- ``GET  /authorize``   checks client and redirect URI, then a small Vietnamese page to pick a demo person (or cancel);
- ``POST /authorize``   issues a one-time code (5 minutes) and sends the browser back with ``code`` and ``state``;
- ``POST /token``       authorization code (+ PKCE S256 when a challenge was sent; client_secret_post or _basic) ->
                        ``access_token`` and a signed ``id_token`` (iss, aud, sub, nonce, acr, auth_time, exp);
- ``GET|POST /userinfo`` with the Bearer token -> the person's claims (SoDinhDanh, HoVaTen, NgaySinh, GioiTinh, …);
- ``GET  /``  the accounts, recent sign-ins and faults (Vietnamese); ``GET /_state`` the same as JSON;
- ``GET|POST /_faults`` read or change the injected faults (JSON, see ``VneidFaults``); ``POST /_reset``.

The people are fake and consistent with the demo's citizens (``motcua.demo.directory.CITIZENS``) and the population
database simulator: same personal ID numbers, names and dates of birth.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import random
import secrets
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from motcua.adapters import vneid as shapes
from simulators._base import BackgroundSimulator, FaultCounters, SimulatorHandler, SimulatorServer, serve
from simulators.national_portal import Faults

MAX_BODY_BYTES = 64 * 1024
CODE_SECONDS = 300
TOKEN_SECONDS = 3600
ID_TOKEN_SECONDS = 600
DEMO_CLIENT_ID = "motcua-demo"
DEMO_CLIENT_SECRET = "motcua-demo-vneid-secret"  # noqa: S105 - the demo's shared secret, never a real one
RECENT_SIGN_INS = 100


@dataclass(frozen=True)
class Person:
    national_id: str  # SoDinhDanh, 12 digits
    full_name: str
    birthdate: str  # ISO date
    sex: str  # "1" male, "2" female
    phone: str
    email: str
    address: str
    level: int  # the level of the person's VNeID account: 1 or 2
    username: str = ""  # the demo account with the same personal ID number, if any

    @property
    def acr(self) -> str:
        return shapes.ACR_LEVEL_2 if self.level >= 2 else shapes.ACR_LEVEL_1

    @property
    def sub(self) -> str:
        """An opaque, stable identifier (VNeID's own, not the personal ID number)."""
        return "vneid-" + hashlib.sha256(f"vneid-sim:{self.national_id}".encode()).hexdigest()[:24]

    def claims(self) -> dict[str, str]:
        c = shapes.CLAIMS
        return {"sub": self.sub, c["national_id"]: self.national_id, c["full_name"]: self.full_name,
                c["birthdate"]: self.birthdate, shapes.SEX_CLAIM: self.sex, c["phone"]: self.phone,
                c["email"]: self.email, shapes.ADDRESS_CLAIM: self.address}


# Fake people. The first two are the demo's citizens (demo/directory.py): nguyenvana has a level 1 account (signed up
# in the app only), tranthibinh a level 2 one (activated with her chip-based ID card).
PEOPLE: tuple[Person, ...] = (
    Person("075090001234", "Nguyễn Văn An", "1990-03-15", "1", "0912345678", "an@example.vn",
           "Số 12 đường Võ Thị Sáu, khu phố 3, phường Trấn Biên, tỉnh Đồng Nai", 1, "nguyenvana"),
    Person("075195004321", "Trần Thị Bình", "1995-09-20", "2", "0987654321", "binh@example.vn",
           "Số 8 đường Phạm Văn Thuận, khu phố 1, phường Trấn Biên, tỉnh Đồng Nai", 2, "tranthibinh"),
    Person("075085003456", "Phạm Văn Hùng", "1985-01-05", "1", "0903456789", "hung@example.vn",
           "Số 45 đường Phú Riềng Đỏ, khu phố Tân Trà, phường Đồng Xoài, tỉnh Đồng Nai", 2),
)


@dataclass
class VneidFaults:
    """What goes wrong, changed at run time through ``POST /_faults`` (JSON with any of these keys) or CLI flags.
    The first seven act on the back-channel calls (token, userinfo) as the other simulators' do; the ``*_next``
    counters below them are spent one per ID token issued."""

    delay_ms: int = 0  # answer back-channel calls this much later
    timeout: bool = False  # never answer them (hold the connection, then drop it)
    fail_next: int = 0  # answer HTTP ``fail_status`` to the next K of them
    fail_ratio: float = 0.0  # ... or to this share of them
    fail_status: int = 503
    malformed_next: int = 0  # answer the next K of them with a body that is not JSON
    down: bool = False  # close every back-channel connection without a byte
    bad_signature_next: int = 0  # sign the next K ID tokens with a key that is not in the JWKS (same kid)
    wrong_nonce_next: int = 0  # put another nonce than the one asked for in the next K ID tokens
    missing_acr_next: int = 0  # leave `acr` out of the next K ID tokens
    expired_next: int = 0  # issue the next K ID tokens already expired

    def update(self, changes: Mapping[str, Any]) -> None:
        """The same validation as the portal simulator's faults."""
        Faults.update(self, changes)  # type: ignore[arg-type]


@dataclass
class SimulatorConfig:
    client_id: str = DEMO_CLIENT_ID
    client_secret: str = DEMO_CLIENT_SECRET
    redirect_uris: tuple[str, ...] = ()  # the relying party's registered callback URLs (exact match)
    public_url: str = ""  # the issuer: how browsers and the province reach this provider (default: its address)
    people: tuple[Person, ...] = PEOPLE
    seed: int | None = None
    faults: VneidFaults = field(default_factory=VneidFaults)

    def __post_init__(self) -> None:
        for uri in (*self.redirect_uris, *([self.public_url] if self.public_url else [])):
            if urlsplit(uri).scheme not in ("http", "https") or not urlsplit(uri).hostname:
                raise ValueError(f"not an http(s) URL: {uri!r}")


@dataclass
class Grant:
    person: Person
    client_id: str
    redirect_uri: str
    nonce: str
    code_challenge: str
    expires_at: float


@dataclass
class SignIn:
    at: str
    national_id: str
    full_name: str
    acr: str
    outcome: str  # issued | refused: <why>


def _now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class VneidState(FaultCounters):
    """Keys, codes, tokens, sign-ins and faults, behind one lock."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.faults = config.faults
        self.lock = threading.Lock()
        self.random = random.Random(config.seed)  # noqa: S311 - fault ratios, not security
        kid = "vneid-sim-" + secrets.token_hex(4)
        self.key = RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": shapes.SIGNING_ALGORITHM})
        # A key of the same kid that the JWKS does not publish: what a forged ID token is signed with.
        self.rogue_key = RSAKey.generate_key(2048, parameters={"kid": kid})
        self.codes: dict[str, Grant] = {}
        self.tokens: dict[str, tuple[Person, float]] = {}
        self.sign_ins: deque[SignIn] = deque(maxlen=RECENT_SIGN_INS)
        self.tokens_issued = 0

    def person(self, national_id: str) -> Person | None:
        return next((p for p in self.config.people if p.national_id == national_id), None)

    def jwks(self) -> dict[str, Any]:
        return dict(KeySet([self.key]).as_dict(private=False))

    def grant(self, person: Person, client_id: str, redirect_uri: str, nonce: str, challenge: str) -> str:
        code = secrets.token_urlsafe(24)
        with self.lock:
            now = time.time()
            for stale in [c for c, g in self.codes.items() if g.expires_at < now]:
                del self.codes[stale]
            self.codes[code] = Grant(person, client_id, redirect_uri, nonce, challenge, now + CODE_SECONDS)
        return code

    def refuse(self, person: Person | None, why: str) -> None:
        with self.lock:
            self.sign_ins.appendleft(SignIn(_now_text(), person.national_id if person else "",
                                            person.full_name if person else "", person.acr if person else "",
                                            f"refused: {why}"))

    def exchange(self, form: Mapping[str, str], basic: tuple[str, str] | None, issuer: str
                 ) -> tuple[int, dict[str, Any]]:
        """The token endpoint's answer (status, JSON) to FORM."""
        client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
        if not (secrets.compare_digest(client_id.encode(), self.config.client_id.encode())
                and secrets.compare_digest(secret.encode(), self.config.client_secret.encode())):
            return HTTPStatus.UNAUTHORIZED, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return HTTPStatus.BAD_REQUEST, {"error": "unsupported_grant_type"}
        with self.lock:
            grant = self.codes.pop(form.get("code", ""), None)  # one use only
        if grant is None or grant.expires_at < time.time():
            self.refuse(grant.person if grant else None, "unknown, used or expired code")
            return HTTPStatus.BAD_REQUEST, {"error": "invalid_grant"}
        if grant.client_id != client_id or grant.redirect_uri != form.get("redirect_uri", ""):
            self.refuse(grant.person, "redirect_uri or client differs")
            return HTTPStatus.BAD_REQUEST, {"error": "invalid_grant"}
        if grant.code_challenge:
            verifier = form.get("code_verifier", "")
            computed = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if not verifier or not secrets.compare_digest(computed, grant.code_challenge):
                self.refuse(grant.person, "PKCE verifier does not match")
                return HTTPStatus.BAD_REQUEST, {"error": "invalid_grant", "error_description": "PKCE"}
        person = grant.person
        access_token = secrets.token_urlsafe(32)
        now = int(time.time())
        claims: dict[str, Any] = {"iss": issuer, "aud": client_id, "sub": person.sub, "iat": now,
                                  "exp": now + ID_TOKEN_SECONDS, "auth_time": now, "acr": person.acr,
                                  "nonce": grant.nonce}
        notes = []
        if self.take("wrong_nonce_next"):
            claims["nonce"] = secrets.token_urlsafe(12)
            notes.append("wrong nonce")
        if self.take("missing_acr_next"):
            del claims["acr"]
            notes.append("no acr")
        if self.take("expired_next"):
            claims["iat"], claims["exp"], claims["auth_time"] = now - 7200, now - 3600, now - 7200
            notes.append("expired")
        key = self.key
        if self.take("bad_signature_next"):
            key = self.rogue_key
            notes.append("bad signature")
        id_token = jwt.encode({"alg": shapes.SIGNING_ALGORITHM, "kid": key.kid, "typ": "JWT"}, claims, key)
        with self.lock:
            self.tokens[access_token] = (person, time.time() + TOKEN_SECONDS)
            self.tokens_issued += 1
            self.sign_ins.appendleft(SignIn(_now_text(), person.national_id, person.full_name,
                                            str(claims.get("acr", "")),
                                            "issued" + (f" ({', '.join(notes)})" if notes else "")))
        return HTTPStatus.OK, {"access_token": access_token, "token_type": "Bearer", "expires_in": TOKEN_SECONDS,
                               "scope": shapes.SCOPE, "id_token": id_token}

    def userinfo(self, access_token: str) -> Person | None:
        with self.lock:
            found = self.tokens.get(access_token)
        if found is None or found[1] < time.time():
            return None
        return found[0]

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "accounts": [{"national_id": p.national_id, "full_name": p.full_name, "level": p.level,
                              "acr": p.acr, "username": p.username} for p in self.config.people],
                "sign_ins": [asdict(s) for s in self.sign_ins],
                "tokens_issued": self.tokens_issued,
                "faults": asdict(self.faults),
            }

    def reset(self) -> None:
        with self.lock:
            self.codes.clear()
            self.tokens.clear()
            self.sign_ins.clear()
            self.tokens_issued = 0
            self.reset_faults()


class VneidHandler(SimulatorHandler[VneidState]):
    server: VneidServer
    MAX_BODY_BYTES = MAX_BODY_BYTES
    EXTRA_HEADERS = {"Cache-Control": "no-store"}

    @property
    def issuer(self) -> str:
        if self.state.config.public_url:
            return self.state.config.public_url.rstrip("/")
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def _page(self, body: str, status: int = HTTPStatus.OK) -> None:
        self._send(status, body.encode(), "text/html; charset=utf-8",
                   {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action *",
                    "X-Frame-Options": "DENY"})

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _refuse_body(self, *, too_large: bool) -> None:
        self._json({"error": "invalid_request", "error_description": "body too large or without a length"},
                   HTTPStatus.BAD_REQUEST)

    # --- routing --------------------------------------------------------------------------------------------

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if path == "/.well-known/openid-configuration":
            self._json(discovery(self.issuer))
        elif path == "/jwks":
            self._json(self.state.jwks())
        elif path == "/authorize":
            self._authorize_page(_single(parse_qs(query)))
        elif path == "/userinfo":
            self._back_channel(lambda: self._userinfo())
        elif path == "/_state":
            self._json(self.state.snapshot())
        elif path == "/_faults":
            self._json(asdict(self.state.faults))
        elif path in ("/", "/index.html"):
            self._page(render_index(self.state, self.issuer))
        else:
            self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)

    def do_POST(self) -> None:
        body = self._body()
        if body is None:
            return
        path = self.path.split("?", 1)[0]
        if path == "/_faults":
            self._control(body)
        elif path == "/_reset":
            self.state.reset()
            self._json({"ok": True})
        elif path == "/authorize":
            self._authorize_choice(_single(parse_qs(body.decode("utf-8", "replace"))))
        elif path == "/token":
            form = _single(parse_qs(body.decode("utf-8", "replace")))
            self._back_channel(lambda: self._token(form))
        elif path == "/userinfo":
            self._back_channel(lambda: self._userinfo())
        else:
            self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)


    def _back_channel(self, answer: Any) -> None:
        faults = self.state.faults
        if self._dropped():
            return
        if self.state.should_fail():
            status = faults.fail_status
            self._send(status, f"<html><body>{status} simulated failure</body></html>".encode(),
                       "text/html; charset=utf-8")
            return
        if self.state.take("malformed_next"):
            self._send(HTTPStatus.OK, b'{"access_token": ')
            return
        answer()

    # --- endpoints ------------------------------------------------------------------------------------------

    def _check_request(self, params: Mapping[str, str]) -> str:
        """Why the authorization request cannot go on ("" when it can). Never redirects to an unknown URI."""
        config = self.state.config
        if params.get("client_id") != config.client_id:
            return "Ứng dụng (client_id) chưa được đăng ký với VNeID mô phỏng."
        if params.get("redirect_uri", "") not in config.redirect_uris:
            return "Địa chỉ quay lại (redirect_uri) chưa được đăng ký cho ứng dụng này."
        if params.get("response_type") != "code":
            return "Chỉ hỗ trợ response_type=code."
        if "openid" not in params.get("scope", "").split():
            return "Thiếu phạm vi openid."
        if params.get("code_challenge") and params.get("code_challenge_method", "plain") != "S256":
            return "Chỉ hỗ trợ PKCE S256."
        return ""

    def _authorize_page(self, params: dict[str, str]) -> None:
        problem = self._check_request(params)
        if problem:
            self._page(render_message(problem), HTTPStatus.BAD_REQUEST)
            return
        self._page(render_authorize(self.state, params))

    def _authorize_choice(self, params: dict[str, str]) -> None:
        problem = self._check_request(params)
        if problem:
            self._page(render_message(problem), HTTPStatus.BAD_REQUEST)
            return
        redirect_uri = params["redirect_uri"]
        back = {"state": params["state"]} if params.get("state") else {}
        if params.get("choice") == "cancel":
            self._redirect(_with_query(redirect_uri, {"error": "access_denied", **back}))
            return
        person = self.state.person(params.get("national_id", ""))
        if person is None:
            self._page(render_authorize(self.state, params, "Hãy chọn một tài khoản."), HTTPStatus.BAD_REQUEST)
            return
        code = self.state.grant(person, params["client_id"], redirect_uri, params.get("nonce", ""),
                                params.get("code_challenge", ""))
        self._redirect(_with_query(redirect_uri, {"code": code, **back}))

    def _token(self, form: dict[str, str]) -> None:
        status, answer = self.state.exchange(form, _basic_credentials(self.headers.get("Authorization", "")),
                                             self.issuer)
        self._json(answer, status)

    def _userinfo(self) -> None:
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        person = self.state.userinfo(token.strip()) if scheme.lower() == "bearer" else None
        if person is None:
            self._json({"error": "invalid_token"}, HTTPStatus.UNAUTHORIZED,
                       {"WWW-Authenticate": 'Bearer error="invalid_token"'})
            return
        self._json(person.claims())


def _single(query: Mapping[str, list[str]]) -> dict[str, str]:
    return {name: values[0] for name, values in query.items() if values}


def _with_query(url: str, params: Mapping[str, str]) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


def _basic_credentials(header: str) -> tuple[str, str] | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, _, password = base64.b64decode(value.strip()).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return unquote(user), unquote(password)


def discovery(issuer: str) -> dict[str, Any]:
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/authorize",
        "token_endpoint": f"{issuer}/token",
        "userinfo_endpoint": f"{issuer}/userinfo",
        "jwks_uri": f"{issuer}/jwks",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": [shapes.SIGNING_ALGORITHM],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": shapes.SCOPE.split(),
        "acr_values_supported": list(shapes.ACR_LEVELS),
        "claims_supported": ["sub", "acr", *shapes.CLAIMS.values(), shapes.SEX_CLAIM, shapes.ADDRESS_CLAIM],
    }


class VneidServer(SimulatorServer[VneidState]):
    handler_class = VneidHandler


class VneidSimulator(BackgroundSimulator[VneidServer]):
    """Start and stop the provider in a background thread (tests, scripts)."""
    thread_name = "vneid-sim"

    def __init__(self, config: SimulatorConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config or SimulatorConfig()
        self.state = VneidState(self.config)
        self.server = VneidServer((host, port), self.state)


# --- Pages (Vietnamese; they work at 360 px wide, no script) -------------------------------------------------------

STYLE = """body{font-family:Arial,sans-serif;margin:0;padding:16px;max-width:960px;color:#0b0c0c;line-height:1.4}
.banner{background:#fff7bf;padding:8px;border-left:5px solid #ffdd00} .table{overflow-x:auto}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #b1b4b6;padding:4px;text-align:left;
overflow-wrap:anywhere} form.person{margin:0 0 12px} button{font-size:1rem;min-height:44px;padding:8px 12px;
width:100%;text-align:left;border:2px solid #0b0c0c;background:#fff;cursor:pointer} button:focus{outline:3px solid #fd0}
button.primary{background:#00703c;color:#fff;border-color:#00703c} .error{color:#d4351c;font-weight:bold}"""


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>
<p class="banner">Máy chủ mô phỏng để thử nghiệm và trình diễn — không phải VNeID thật, không dùng dữ liệu thật.</p>
<main>{body}</main></body></html>"""


def render_message(message: str) -> str:
    return _page("VNeID (mô phỏng)", f"<h1>Không thể đăng nhập</h1><p>{html.escape(message)}</p>")


def level_text(level: int) -> str:
    return f"Tài khoản định danh điện tử mức {level}"


def render_authorize(state: VneidState, params: Mapping[str, str], error: str = "") -> str:
    e = html.escape
    keep = ("client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge",
            "code_challenge_method", "acr_values")
    hidden = "".join(f'<input type="hidden" name="{e(n)}" value="{e(params[n])}">' for n in keep if n in params)
    asked = ", ".join(f"mức {shapes.ACR_LEVELS[v]}" for v in params.get("acr_values", "").split()
                      if v in shapes.ACR_LEVELS)
    people = "".join(
        f'<form class="person" method="post" action="/authorize">{hidden}'
        f'<input type="hidden" name="national_id" value="{e(p.national_id)}">'
        f'<button type="submit" class="primary" name="choice" value="sign_in">{e(p.full_name)} — {e(p.national_id)}'
        f"<br>{e(level_text(p.level))}</button></form>" for p in state.config.people)
    return _page("Đăng nhập VNeID (mô phỏng)", f"""<h1>Đăng nhập bằng tài khoản định danh điện tử</h1>
{f'<p class="error" role="alert">{e(error)}</p>' if error else ''}
<p>Dịch vụ công của tỉnh yêu cầu đăng nhập{f' (mức yêu cầu: {e(asked)})' if asked else ''}. Chọn người dân mô phỏng:</p>
{people}
<form method="post" action="/authorize">{hidden}
<button type="submit" name="choice" value="cancel">Hủy, quay lại dịch vụ công</button></form>""")


def render_index(state: VneidState, issuer: str) -> str:
    e = html.escape
    snapshot = state.snapshot()
    accounts = "".join(f"<tr><td>{e(a['full_name'])}</td><td>{e(a['national_id'])}</td><td>mức {a['level']} "
                       f"({e(a['acr'])})</td><td>{e(a['username']) or '—'}</td></tr>" for a in snapshot["accounts"])
    sign_ins = "".join(f"<tr><td>{e(s['at'])}</td><td>{e(s['full_name'])}</td><td>{e(s['acr']) or '—'}</td>"
                       f"<td>{e(s['outcome'])}</td></tr>" for s in snapshot["sign_ins"])
    active = ", ".join(f"{k}={v}" for k, v in snapshot["faults"].items()
                       if v not in (0, 0.0, False) and k != "fail_status")
    return _page("VNeID (mô phỏng)", f"""<h1>VNeID (mô phỏng): nhà cung cấp định danh OpenID Connect</h1>
<p>Địa chỉ cấu hình: <code>{e(issuer)}/.well-known/openid-configuration</code>.
Lỗi đang giả lập: {e(active) or "không có"}.</p>
<h2>Tài khoản ({len(snapshot['accounts'])})</h2>
<div class="table"><table><thead><tr><th>Họ tên</th><th>Số định danh</th><th>Mức định danh</th>
<th>Tài khoản demo</th></tr></thead><tbody>{accounts}</tbody></table></div>
<h2>Lượt đăng nhập gần đây ({len(snapshot['sign_ins'])})</h2>
<div class="table"><table><thead><tr><th>Thời điểm (UTC)</th><th>Người dân</th><th>acr</th><th>Kết quả</th></tr></thead>
<tbody>{sign_ins or '<tr><td colspan="4">Chưa có lượt đăng nhập nào.</td></tr>'}</tbody></table></div>
<p><a href="/">Tải lại trang</a></p>""")


# --- Command line --------------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m simulators.vneid", description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8306)
    p.add_argument("--client-id", default=DEMO_CLIENT_ID)
    p.add_argument("--client-secret", default=DEMO_CLIENT_SECRET)
    p.add_argument("--redirect-uri", action="append", default=[],
                   help="a registered callback URL of the province (repeatable), e.g. …/dinh-danh/vneid/callback/")
    p.add_argument("--public-url", default="", help="the issuer URL (default: this server's address)")
    p.add_argument("--seed", type=int, help="seed for --fail-ratio")
    p.add_argument("--delay-ms", type=int, default=0)
    p.add_argument("--timeout", action="store_true", help="never answer back-channel calls")
    p.add_argument("--fail-next", type=int, default=0, help="answer 5xx to the next K back-channel calls")
    p.add_argument("--fail-ratio", type=float, default=0.0)
    p.add_argument("--fail-status", type=int, default=503)
    p.add_argument("--malformed-next", type=int, default=0)
    p.add_argument("--down", action="store_true")
    p.add_argument("--bad-signature-next", type=int, default=0)
    p.add_argument("--wrong-nonce-next", type=int, default=0)
    p.add_argument("--verbose", action="store_true", help="log each request")
    return p


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    faults = VneidFaults()
    faults.update({"delay_ms": args.delay_ms, "timeout": args.timeout, "fail_next": args.fail_next,
                   "fail_ratio": args.fail_ratio, "fail_status": args.fail_status,
                   "malformed_next": args.malformed_next, "down": args.down,
                   "bad_signature_next": args.bad_signature_next, "wrong_nonce_next": args.wrong_nonce_next})
    config = SimulatorConfig(client_id=args.client_id, client_secret=args.client_secret,
                             redirect_uris=tuple(args.redirect_uri), public_url=args.public_url, seed=args.seed,
                             faults=faults)
    server = VneidServer((args.host, args.port), VneidState(config), verbose=args.verbose)
    serve(server, f"Mô phỏng VNeID / VNeID OIDC provider simulator: http://{args.host}:{args.port}/")


if __name__ == "__main__":
    main()
