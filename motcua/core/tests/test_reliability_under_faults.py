"""300 online submissions while two job workers are SIGKILLed and PostgreSQL is restarted once: no dossier is
lost or duplicated, every attachment keeps its bytes, and every notification is delivered — once, except the
email a killed worker may have handed to the SMTP server just before it died (SMTP has no idempotency key; the
copy has the same Message-ID).

Runs bench/reliability.py (the same program as the 10,000-submission benchmark, see docs/operations.md) in a
subprocess: a private PostgreSQL cluster it may restart, gunicorn, clients that retry with the same
Idempotency-Key, a clerk receiving the dossiers, `manage.py db_worker` processes, and SMTP/SMS stand-ins that
record every message id. Only with the PostgreSQL leg of the suite (it needs the server binaries).
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
SUBMISSIONS = 300

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                       reason="runs with the PostgreSQL leg of the suite"),
]


def test_submissions_survive_worker_kills_and_a_postgres_restart():
    result = subprocess.run(
        [sys.executable, "bench/reliability.py", "--submissions", str(SUBMISSIONS), "--clients", "12",
         "--max-kills", "2", "--kill-every", "2", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.stdout.strip(), result.stderr[-4000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    summary = json.dumps(figures, indent=1)
    # The faults happened.
    assert figures["postgres_restarts"] == 1, summary
    assert figures["worker_kills"] == 2, summary
    assert figures["retries"] > 0, summary  # clients saw the restart and retried with the same key
    # Dossiers: every submission acknowledged, none lost, none twice.
    assert figures["acknowledged"] == SUBMISSIONS and figures["gave_up"] == 0 and figures["refused"] == 0, summary
    assert figures["lost"] == 0 and figures["duplicated"] == 0, summary
    assert figures["attachments_checked"] == 3 * SUBMISSIONS and figures["attachments_mismatched"] == 0, summary
    assert figures["dossiers_in_database"] == SUBMISSIONS == figures["received_by_clerk"], summary
    # Notifications: the email and the SMS of each receipt, each delivered, none twice.
    assert figures["notifications_expected"] == 2 * SUBMISSIONS == figures["notifications_in_outbox"], summary
    assert figures["notifications_delivered"] == 2 * SUBMISSIONS, summary
    assert figures["notifications_missing"] == 0 and figures["notifications_failed"] == 0, summary
    # SMS: the gateway delivered each RequestId once. Email: SMTP has no idempotency key, so only a worker killed
    # between the server's "250 OK" and writing "sent" may send one again (same Message-ID); nothing else may.
    assert figures["email_duplicates_unexplained"] == 0, summary
    assert figures["notifications_duplicated"] <= figures["worker_kills"], summary
    assert figures["recover_submit_seconds"] is not None, summary
    assert not figures["errors"], summary
    assert result.returncode == 0, summary
