"""The ceilings: the least a Django view can do to insert one row from a JSON body and to read one row by key,
and the writes floor of a submission (its statements, hand-written, nothing else)."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid

from django.db import connection, transaction
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from bench.http_app.models import BareRow


@csrf_exempt
def bare_insert(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body or b"{}")
    row = BareRow.objects.create(code=uuid.uuid4().hex, name=str(body.get("applicant_name", ""))[:200],
                                 data=body.get("form_data", {}))
    return JsonResponse({"code": row.code}, status=201)


def bare_read(request: HttpRequest, code: str) -> JsonResponse:
    row = BareRow.objects.filter(code=code).values("code", "name", "data", "created_at").first()
    if row is None:
        raise Http404
    return JsonResponse(row)


@csrf_exempt
def submission_writes(request: HttpRequest) -> JsonResponse:
    """The writes floor of a submission: in one transaction, hand-written SQL with no validation and no ORM, the
    statements `POST /api/v1/me/dossiers` makes (token and its user read, idempotency check, the day's dossier
    number, the dossier, the blobs and their documents, the first event, the audit seal and head, the national
    portal record, the citizen's stored documents), from the same body, its attachments decoded and hashed."""
    body = json.loads(request.body or b"{}")
    key = request.headers.get("Idempotency-Key", "")
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    files = [(f["slot"], f["name"], base64.b64decode(f["content_base64"])) for f in body.get("documents", [])]
    digests = [hashlib.sha256(content).hexdigest() for _, _, content in files]
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT user_id, expires_at, assurance_level FROM bench_sub_token WHERE key_hash = %s",
                       [hashlib.sha256(token.encode()).hexdigest()])
        token_row = cursor.fetchone()
        cursor.execute("SELECT id, username, is_active FROM bench_sub_user WHERE id = %s",
                       [token_row[0] if token_row else 0])
        user = cursor.fetchone()
        if user is None:
            return JsonResponse({"detail": "unauthorised"}, status=401)
        cursor.execute("SELECT id FROM bench_sub_dossier WHERE idempotency_key = %s", [key])
        if cursor.fetchone() is not None:
            return JsonResponse({"detail": "duplicate"}, status=200)
        cursor.execute("INSERT INTO bench_sub_sequence VALUES (%s, %s, 1) ON CONFLICT (agency, day) "
                       "DO UPDATE SET value = bench_sub_sequence.value + 1 RETURNING value",
                       [body.get("agency_eid", ""), now.date()])
        code = f"H19.{now:%y%m%d}.{cursor.fetchone()[0]:06d}"
        cursor.execute("INSERT INTO bench_sub_dossier (code, idempotency_key, applicant_id, form_data, submitted_at) "
                       "VALUES (%s, %s, %s, %s, %s) RETURNING id",
                       [code, key, user[0], json.dumps(body.get("form_data", {})), now])
        dossier_id = cursor.fetchone()[0]
        cursor.execute("INSERT INTO bench_sub_blob (sha256, size, created_at) SELECT * FROM unnest("
                       "%s::varchar[], %s::integer[], %s::timestamptz[]) ON CONFLICT (sha256) DO NOTHING",
                       [digests, [len(c) for _, _, c in files], [now] * len(files)])
        cursor.execute("SELECT sha256, id FROM bench_sub_blob WHERE sha256 = ANY(%s::varchar[])", [digests])
        blobs = dict(cursor.fetchall())
        cursor.execute("INSERT INTO bench_sub_document (dossier_id, slot, name, blob_id) SELECT %s, * FROM unnest("
                       "%s::varchar[], %s::varchar[], %s::integer[])",
                       [dossier_id, [s for s, _, _ in files], [n for _, n, _ in files], [blobs[d] for d in digests]])
        cursor.execute("INSERT INTO bench_sub_event (dossier_id, seq, action, created_at, data) "
                       "VALUES (%s, 1, 'submit', %s, '{}') RETURNING id", [dossier_id, now])
        event_id = cursor.fetchone()[0]
        cursor.execute("SELECT position, hash FROM bench_sub_head WHERE id = 1 FOR UPDATE")
        position, previous = cursor.fetchone()
        digest = hashlib.sha256(f"{previous}|{position + 1}|{event_id}|{dossier_id}|submit|{now}".encode()).hexdigest()
        cursor.execute("WITH seal AS (INSERT INTO bench_sub_seal (position, event_id, prev_hash, hash) "
                       "VALUES (%s, %s, %s, %s) RETURNING id) UPDATE bench_sub_head SET position = %s, hash = %s "
                       "WHERE id = 1", [position + 1, event_id, previous, digest, position + 1, digest])
        cursor.execute("INSERT INTO bench_sub_sync (dossier_id, event_id, payload) VALUES (%s, %s, %s)",
                       [dossier_id, event_id, json.dumps({"MaHoSo": code, "TrangThaiHoSo": "1"})])
        cursor.execute("INSERT INTO bench_sub_stored (owner_id, name, blob_id) SELECT %s, * FROM unnest("
                       "%s::varchar[], %s::integer[])",
                       [user[0], [n for _, n, _ in files], [blobs[d] for d in digests]])
    return JsonResponse({"code": code}, status=201)
