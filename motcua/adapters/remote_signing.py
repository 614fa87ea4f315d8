"""Messages of a remote signing service (ký số từ xa: a certification authority keeps the signer's key in its HSM;
the signer confirms each signature on their phone). Builders and parsers only: no HTTP, no Django.

No public specification was found (the reference note has none): EVERY shape here is GUESSED, modelled on the
usual flow of the Vietnamese CA services (get the credential's certificate → submit the hash of what is to be
signed → the signer confirms in the CA's app → fetch the signature). The client (``motcua.signing.remote``) and the
simulator (``simulators/remote_signing.py``) both speak through this module, so that matching one real service
changes this file only. Confirm each shape with the CA before going live (docs/signing.md, "Remote signing").

- ``GET  /v1/credentials/<credential id>`` -> ``{"credential_id", "status": "active", "certificate": <base64 DER>,
  "chain": [<base64 DER>…]}``;
- ``POST /v1/signatures`` ``{"credential_id", "request_id", "hash": <base64>, "hash_algorithm": "SHA-256",
  "description"}`` (header ``Idempotency-Key: <request_id>``: a repeated request gives the same transaction)
  -> ``{"transaction_id", "status": "pending", "expires_in": <seconds>}``;
- ``GET  /v1/signatures/<transaction id>`` -> ``{"transaction_id", "status": "pending" | "confirmed" | "rejected" |
  "expired", "signature": <base64 raw signature value, when confirmed>, "message"}``.

The signature value is what the key's algorithm gives over the submitted hash: RSA PKCS#1 v1.5 over the DigestInfo of
the hash, or a DER-encoded ECDSA signature.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

GUESSED: Final = "guessed"
EVIDENCE: Final[Mapping[str, str]] = {
    "GET /v1/credentials/<id> -> credential_id, status, certificate (base64 DER), chain": GUESSED,
    "POST /v1/signatures {credential_id, request_id, hash, hash_algorithm, description} -> transaction_id": GUESSED,
    "Idempotency-Key header = request_id; a repeat gives the same transaction": GUESSED,
    "GET /v1/signatures/<transaction id> -> status pending|confirmed|rejected|expired, signature": GUESSED,
    "signature: raw value over the submitted hash (RSA PKCS#1 v1.5 / DER ECDSA)": GUESSED,
    "authentication: Authorization Bearer <the province's API token>": GUESSED,
}

CREDENTIAL_PATH: Final = "/v1/credentials/{credential_id}"
SIGN_PATH: Final = "/v1/signatures"
STATUS_PATH: Final = "/v1/signatures/{transaction_id}"
HASH_ALGORITHMS: Final[Mapping[str, str]] = {"sha256": "SHA-256", "sha384": "SHA-384", "sha512": "SHA-512"}

PENDING: Final = "pending"
CONFIRMED: Final = "confirmed"
REJECTED: Final = "rejected"
EXPIRED: Final = "expired"
STATUSES: Final = (PENDING, CONFIRMED, REJECTED, EXPIRED)
_ID = re.compile(r"^[A-Za-z0-9._:@-]{1,100}$")


class RemoteSigningMessageError(ValueError):
    """A message that does not have the expected shape."""


def _object(body: bytes | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        return body
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise RemoteSigningMessageError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise RemoteSigningMessageError("not a JSON object")
    return data


def _text(message: Mapping[str, Any], name: str, *, required: bool = True) -> str:
    value = message.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise RemoteSigningMessageError(f"{name} is missing or not text")
    return value


def _b64(text: str, name: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeError, ValueError) as exc:
        raise RemoteSigningMessageError(f"{name} is not base64") from exc


def encode(message: Mapping[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def check_id(value: str, name: str = "identifier") -> str:
    if not _ID.match(value or ""):
        raise RemoteSigningMessageError(f"{name} must be 1-100 letters, digits or ._:@-")
    return value


def credential_path(credential_id: str) -> str:
    return CREDENTIAL_PATH.format(credential_id=quote(check_id(credential_id, "credential_id"), safe=""))


def status_path(transaction_id: str) -> str:
    return STATUS_PATH.format(transaction_id=quote(check_id(transaction_id, "transaction_id"), safe=""))


# --- credential -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Credential:
    credential_id: str
    status: str
    certificate: bytes  # DER
    chain: tuple[bytes, ...] = ()

    @property
    def active(self) -> bool:
        return self.status == "active"


def build_credential(credential: Credential) -> dict[str, Any]:
    return {"credential_id": credential.credential_id, "status": credential.status,
            "certificate": base64.b64encode(credential.certificate).decode("ascii"),
            "chain": [base64.b64encode(c).decode("ascii") for c in credential.chain]}


def parse_credential(body: bytes | Mapping[str, Any]) -> Credential:
    message = _object(body)
    chain = message.get("chain") or []
    if not isinstance(chain, list) or not all(isinstance(c, str) for c in chain):
        raise RemoteSigningMessageError("chain is not a list of base64 certificates")
    return Credential(credential_id=_text(message, "credential_id"), status=_text(message, "status"),
                      certificate=_b64(_text(message, "certificate"), "certificate"),
                      chain=tuple(_b64(c, "chain") for c in chain))


# --- signature request ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignRequest:
    credential_id: str
    request_id: str  # ours, also the Idempotency-Key
    digest: bytes
    hash_algorithm: str  # "SHA-256"…
    description: str = ""


def build_sign_request(request: SignRequest) -> dict[str, Any]:
    check_id(request.credential_id, "credential_id")
    check_id(request.request_id, "request_id")
    if request.hash_algorithm not in HASH_ALGORITHMS.values():
        raise RemoteSigningMessageError(f"unsupported hash algorithm {request.hash_algorithm!r}")
    return {"credential_id": request.credential_id, "request_id": request.request_id,
            "hash": base64.b64encode(request.digest).decode("ascii"), "hash_algorithm": request.hash_algorithm,
            "description": request.description[:200]}


def parse_sign_request(body: bytes | Mapping[str, Any]) -> SignRequest:
    message = _object(body)
    algorithm = _text(message, "hash_algorithm")
    if algorithm not in HASH_ALGORITHMS.values():
        raise RemoteSigningMessageError(f"unsupported hash algorithm {algorithm!r}")
    digest = _b64(_text(message, "hash"), "hash")
    if len(digest) not in (32, 48, 64):
        raise RemoteSigningMessageError("hash has the wrong length")
    return SignRequest(credential_id=check_id(_text(message, "credential_id"), "credential_id"),
                       request_id=check_id(_text(message, "request_id"), "request_id"), digest=digest,
                       hash_algorithm=algorithm, description=_text(message, "description", required=False)[:200])


@dataclass(frozen=True)
class Transaction:
    """The service's answer to a request or a status query."""

    transaction_id: str
    status: str
    signature: bytes = b""
    message: str = ""
    expires_in: int = 0


def build_transaction(transaction: Transaction) -> dict[str, Any]:
    body: dict[str, Any] = {"transaction_id": transaction.transaction_id, "status": transaction.status}
    if transaction.signature:
        body["signature"] = base64.b64encode(transaction.signature).decode("ascii")
    if transaction.message:
        body["message"] = transaction.message
    if transaction.expires_in:
        body["expires_in"] = transaction.expires_in
    return body


def parse_transaction(body: bytes | Mapping[str, Any]) -> Transaction:
    message = _object(body)
    status = _text(message, "status")
    if status not in STATUSES:
        raise RemoteSigningMessageError(f"unknown status {status!r}")
    signature = _b64(_text(message, "signature"), "signature") if status == CONFIRMED else b""
    if status == CONFIRMED and not signature:
        raise RemoteSigningMessageError("a confirmed transaction without a signature")
    expires = message.get("expires_in", 0)
    return Transaction(transaction_id=check_id(_text(message, "transaction_id"), "transaction_id"), status=status,
                       signature=signature, message=_text(message, "message", required=False)[:300],
                       expires_in=expires if isinstance(expires, int) and not isinstance(expires, bool) else 0)
