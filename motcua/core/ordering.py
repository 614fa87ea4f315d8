"""Ordering helpers that give the same Vietnamese order on SQLite and PostgreSQL."""

from __future__ import annotations

from django.db import connection
from django.db.models import F
from django.db.models.expressions import Combinable
from django.db.models.functions import Collate


def by_sort_key(field: str = "sort_key") -> Combinable:
    """Order by a `core.text.sort_key` column byte-wise ("C" on PostgreSQL; SQLite compares bytes already)."""
    if connection.vendor == "postgresql":
        return Collate(F(field), "C")
    return F(field)
