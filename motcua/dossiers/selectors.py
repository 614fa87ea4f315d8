"""Reads on dossiers."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from motcua.dossiers.models import Dossier


def lookup_path(dossier: Dossier) -> str:
    """The public look-up page of DOSSIER, with its secret (what the QR code on every form points to)."""
    return reverse("dossiers:lookup_detail", args=[dossier.code]) + "?" + urlencode({"s": dossier.lookup_secret})


def lookup_url(dossier: Dossier) -> str:
    return settings.MOTCUA_PUBLIC_URL.rstrip("/") + lookup_path(dossier)
