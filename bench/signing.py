"""Signing and verifying an e-result (not a test: nothing here is timed against a limit).

    .venv/bin/python bench/signing.py --runs 20 --confirm-ms 0 --latency-ms 40

Times, after one warm-up each, p50/p95/max in ms of:
- signing a one-page result with a PKCS#12 key (what a `file` identity does), stamp and QR included;
- signing it through the remote-signing simulator (a `remote` identity: certificate, submit, poll, signature) with
  the service answering after --latency-ms and the signer confirming after --confirm-ms (real people take seconds:
  that time simply adds up), polling every --poll-ms;
- verifying the signed file with and without a CRL to check.
Evidence records (CallRecord) are not written here (no database); everything else is the production code path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_MANIFEST_STATIC", "false")


def timed(label: str, runs: int, action: Callable[[], object]) -> None:
    action()  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    print(f"{label:<58} p50 {statistics.median(samples):8.1f} ms   p95 {p95:8.1f} ms   max {samples[-1]:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--latency-ms", type=int, default=40, help="the remote service's answer delay")
    parser.add_argument("--confirm-ms", type=int, default=0, help="the signer's confirmation delay")
    parser.add_argument("--poll-ms", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from django.conf import settings

    import motcua.integrations.actions as evidence
    from motcua.signing import remote
    from motcua.signing.config import FALLBACK_STAMP_FONTS
    from motcua.signing.pdf import Stamp, sign_pdf, verify_pdf
    from motcua.signing.tests.helpers import asn1_cert, draft_pdf, simple_signer
    from motcua.signing.tests.pki import build_pki, issue
    from simulators.remote_signing import RemoteSigningSimulator, SimulatorConfig

    evidence.record_call = lambda **kwargs: None  # type: ignore[assignment]  # no database in this benchmark
    pki = build_pki()
    leaf = issue(pki.root, "Văn phòng Đăng ký đất đai tỉnh Đồng Nai", crl_url="http://127.0.0.1:9/ca.crl")
    draft = draft_pdf()
    font = next((p for p in FALLBACK_STAMP_FONTS if Path(p).is_file()), "")
    stamp = Stamp(lines=("Ký bởi: Văn phòng Đăng ký đất đai tỉnh Đồng Nai", "Hồ sơ: 000.01.16.H19-261204-0001"),
                  verification_url="https://dichvucong.example.vn/xac-thuc/abc/", font_path=font)
    print(f"draft: {len(draft)} bytes, {args.runs} runs each")

    signer = simple_signer(leaf, [pki.root])
    timed("sign with a PKCS#12 key (file identity)", args.runs, lambda: sign_pdf(draft, signer=signer, stamp=stamp))

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "bench.p12").write_bytes(pkcs12.serialize_key_and_certificates(
            b"bench", leaf.key, leaf.cert, [pki.root.cert], serialization.NoEncryption()))
        config = SimulatorConfig(credentials_dir=folder, auto_confirm_ms=max(args.confirm_ms, 1))
        config.faults.delay_ms = args.latency_ms
        with RemoteSigningSimulator(config) as simulator:
            settings.MOTCUA_INTEGRATION_SYSTEMS = {"remote_signing": {"base_url": simulator.url}}
            settings.MOTCUA_REMOTE_SIGNING_POLL_SECONDS = args.poll_ms / 1000
            label = f"sign remotely (answer {args.latency_ms}, confirm {args.confirm_ms}, poll {args.poll_ms} ms)"
            timed(label, args.runs, lambda: sign_pdf(draft, signer=remote.remote_signer("bench"), stamp=stamp))

    signed = sign_pdf(draft, signer=signer, stamp=stamp)
    roots = [asn1_cert(pki.root)]
    now = dt.datetime.now(dt.UTC)
    crl = (x509.CertificateRevocationListBuilder().issuer_name(pki.root.cert.subject)
           .last_update(now - dt.timedelta(hours=1)).next_update(now + dt.timedelta(days=7))
           .sign(pki.root.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER))
    timed("verify (trust roots only)", args.runs, lambda: verify_pdf(signed, trust_roots=roots))
    timed("verify with a CRL to check", args.runs, lambda: verify_pdf(signed, trust_roots=roots, crls=[crl]))


if __name__ == "__main__":
    main()
