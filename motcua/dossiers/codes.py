"""Dossier codes and look-up secrets.

The code follows a configurable pattern, by default `<receiving agency e-ID>-<yyMMdd>-<NNNN>` (the format used
on the national portal), with a daily sequence per receiving agency. The sequence row is locked while the number
is drawn, inside the transaction that creates the dossier: a rolled-back submission gives its number back, so
the numbers of a day have no gaps and no twins, however many counters submit at once.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.db.transaction import TransactionManagementError

from motcua.directory.models import Agency
from motcua.dossiers.models import DossierSequence

# No 0/O, 1/I/L: the secret is read aloud at the counter and typed on phones.
_SECRET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet, not a secret
SECRET_LENGTH = 10  # 31**10 ≈ 2**49.5 — above the 40 bits the design asks for


def new_lookup_secret() -> str:
    return "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def next_sequence(agency: Agency, day: dt.date) -> int:
    """Take the next number of AGENCY's sequence for DAY. Must run inside the creating transaction.

    On PostgreSQL and SQLite one upsert (`INSERT … ON CONFLICT DO UPDATE SET value = value + 1 RETURNING value`)
    creates or increments the row and locks it until the transaction ends, as the three statements of the
    portable path below do."""
    if not connection.in_atomic_block:  # the row lock must last until the dossier is written
        raise TransactionManagementError("next_sequence must run inside the transaction that creates the dossier")
    if connection.vendor in ("postgresql", "sqlite"):
        return _next_by_upsert(agency, day)
    DossierSequence.objects.bulk_create([DossierSequence(agency=agency, day=day, value=0)], ignore_conflicts=True)
    row = DossierSequence.objects.select_for_update().get(agency=agency, day=day)
    DossierSequence.objects.filter(pk=row.pk).update(value=F("value") + 1)
    return row.value + 1


def _next_by_upsert(agency: Agency, day: dt.date) -> int:
    meta, quote = DossierSequence._meta, connection.ops.quote_name
    table = quote(meta.db_table)
    columns = {field.name: quote(field.column) for field in meta.concrete_fields}
    agency_col, day_col, value_col = columns["agency"], columns["day"], columns["value"]
    sql = (f"INSERT INTO {table} ({agency_col}, {day_col}, {value_col}) VALUES (%s, %s, 1) "  # noqa: S608 - names
           f"ON CONFLICT ({agency_col}, {day_col}) DO UPDATE SET {value_col} = {table}.{value_col} + 1 "
           f"RETURNING {value_col}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [agency.pk, connection.ops.adapt_datefield_value(day)])
        row = cursor.fetchone()
    return int(row[0])


def format_code(agency: Agency, day: dt.date, sequence: int) -> str:
    pattern: str = settings.MOTCUA_DOSSIER_CODE_PATTERN
    return pattern.format(agency=agency.eid_code, date=day, seq=sequence)


def draw_code(agency: Agency, day: dt.date) -> str:
    return format_code(agency, day, next_sequence(agency, day))
