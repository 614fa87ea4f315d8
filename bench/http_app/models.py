from django.db import models


class BareRow(models.Model):
    """One row per bare insert: about what a dossier's main row carries (a code, a name, some JSON, a time)."""

    code = models.CharField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.code
