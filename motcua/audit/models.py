"""A tamper-evident hash chain over the dossier events (docs/security.md).

Every `DossierEvent` gets one `EventSeal` in the same transaction: its place in the chain (`position`, assigned
under the lock of the single `ChainHead` row, so concurrent transactions cannot fork the chain), the hash of the
seal before it, and SHA-256 over the event's canonical serialisation plus that previous hash. The head's hash is
what gets published outside the database (`manage.py export_audit_head`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import DossierEvent

GENESIS_HASH = "0" * 64


class ChainHead(models.Model):
    """The one row every sealing transaction locks (SELECT … FOR UPDATE): the chain's last position and hash."""

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON)
    position = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_head_singleton")]

    def __str__(self) -> str:
        return f"{self.position}:{self.hash}"


class EventSeal(models.Model):
    """One link of the chain: append-only, exactly one per dossier event."""

    position = models.PositiveBigIntegerField(unique=True)
    event = models.OneToOneField(DossierEvent, on_delete=models.PROTECT, related_name="seal")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("event seal")
        verbose_name_plural = _("event seals")
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.position}:{self.hash[:12]}"
