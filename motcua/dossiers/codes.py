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
from django.db.models import F

from motcua.directory.models import Agency
from motcua.dossiers.models import DossierSequence

# No 0/O, 1/I/L: the secret is read aloud at the counter and typed on phones.
_SECRET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet, not a secret
SECRET_LENGTH = 10  # 31**10 ≈ 2**49.5 — above the 40 bits the design asks for


def new_lookup_secret() -> str:
    return "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def next_sequence(agency: Agency, day: dt.date) -> int:
    """Take the next number of AGENCY's sequence for DAY. Must run inside the creating transaction."""
    DossierSequence.objects.bulk_create([DossierSequence(agency=agency, day=day, value=0)], ignore_conflicts=True)
    row = DossierSequence.objects.select_for_update().get(agency=agency, day=day)
    DossierSequence.objects.filter(pk=row.pk).update(value=F("value") + 1)
    return row.value + 1


def format_code(agency: Agency, day: dt.date, sequence: int) -> str:
    pattern: str = settings.MOTCUA_DOSSIER_CODE_PATTERN
    return pattern.format(agency=agency.eid_code, date=day, seq=sequence)


def draw_code(agency: Agency, day: dt.date) -> str:
    return format_code(agency, day, next_sequence(agency, day))
