"""The client of the remote signing service (ký số từ xa): the integration system ``remote_signing``
(MOTCUA_INTEGRATION_SYSTEMS_JSON; its token in MOTCUA_INTEGRATION_REMOTE_SIGNING_TOKEN), messages in
``motcua.adapters.remote_signing`` (all GUESSED), every call through ``IntegrationClient`` (timeouts,
retries, breaker, evidence).

Signing a result: read the credential's certificate, then pyHanko prepares the document and hands us the digest of
the CMS signed attributes (``DeferredSigner``); we submit it with a fresh request id as the idempotency key, poll
until the signer confirms on their phone (or refuses, or the request expires, or MOTCUA_REMOTE_SIGNING_WAIT_SECONDS
pass), and return the signature value. Anything else raises ``SigningError``: the approval does not happen."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from asn1crypto import x509  # type: ignore[import-untyped]
from django.conf import settings

from motcua.adapters import remote_signing as api
from motcua.integrations.client import IntegrationClient, IntegrationError
from motcua.signing.pdf import DeferredSigner, SigningError

SYSTEM = "remote_signing"


class RemoteSigningError(SigningError):
    """The remote service did not give a signature (down, refused by the signer, expired, unusable answer)."""

    def __init__(self, message: str, *, reason: str = "error") -> None:
        super().__init__(message)
        self.reason = reason  # "error" | "rejected" | "expired" | "timeout" | "inactive"


def fetch_credential(credential_id: str) -> api.Credential:
    """The credential's certificate and chain, as the service holds them."""
    try:
        with IntegrationClient(SYSTEM) as client:
            result = client.call("credential", "GET", api.credential_path(credential_id),
                                 parse=lambda r: api.parse_credential(r.content))
    except (IntegrationError, api.RemoteSigningMessageError) as exc:
        raise RemoteSigningError(f"remote signing service: {exc}") from exc
    credential = result.value
    if not credential.active:
        raise RemoteSigningError(f"the credential is {credential.status}, not active", reason="inactive")
    return credential


def sign_digest(credential_id: str, digest: bytes, digest_algorithm: str, *, description: str = "",
                sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> bytes:
    """Submit DIGEST, wait for the signer's confirmation, return the signature value."""
    algorithm = api.HASH_ALGORITHMS.get(digest_algorithm.lower())
    if algorithm is None:
        raise RemoteSigningError(f"unsupported digest algorithm {digest_algorithm}")
    request_id = f"motcua-{secrets.token_hex(12)}"
    body = api.build_sign_request(api.SignRequest(credential_id=credential_id, request_id=request_id,
                                                  digest=digest, hash_algorithm=algorithm, description=description))
    wait = float(getattr(settings, "MOTCUA_REMOTE_SIGNING_WAIT_SECONDS", 120))
    poll = float(getattr(settings, "MOTCUA_REMOTE_SIGNING_POLL_SECONDS", 2))
    try:
        with IntegrationClient(SYSTEM) as client:
            # A repeated POST (timeout, 5xx) carries the same request id: the service gives the same transaction.
            transaction = client.call("sign", "POST", api.SIGN_PATH, json=body, idempotency_key=request_id,
                                      parse=lambda r: api.parse_transaction(r.content)).value
            deadline = clock() + wait
            while transaction.status == api.PENDING:
                if clock() >= deadline:
                    raise RemoteSigningError("the signer did not confirm in time", reason="timeout")
                sleep(poll)
                transaction = client.call("status", "GET", api.status_path(transaction.transaction_id),
                                          parse=lambda r: api.parse_transaction(r.content)).value
    except (IntegrationError, api.RemoteSigningMessageError) as exc:
        raise RemoteSigningError(f"remote signing service: {exc}") from exc
    if transaction.status == api.REJECTED:
        raise RemoteSigningError("the signer refused the signature", reason="rejected")
    if transaction.status == api.EXPIRED:
        raise RemoteSigningError("the signature request expired unconfirmed", reason="expired")
    return transaction.signature


def remote_signer(credential_id: str, *, chain: list[x509.Certificate] | None = None,
                  description: str = "") -> DeferredSigner:
    """A DeferredSigner for CREDENTIAL_ID (its certificate read from the service now)."""
    credential = fetch_credential(credential_id)
    try:
        cert = x509.Certificate.load(credential.certificate)
        service_chain = [x509.Certificate.load(der) for der in credential.chain]
        cert.subject.native  # noqa: B018 - parse now: a bad certificate fails here, not inside pyHanko
    except ValueError as exc:
        raise RemoteSigningError(f"the service's certificate is unreadable: {exc}") from exc
    return DeferredSigner(
        signing_cert=cert, chain=tuple(chain or service_chain),
        sign_digest=lambda digest, algorithm: sign_digest(credential_id, digest, algorithm, description=description))
