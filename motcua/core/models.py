from django.db import models


class CacheGeneration(models.Model):
    """How many times an area of reference data (the catalog, the directory, the working calendar) was edited: every
    process compares it with the count it saw, at most every few seconds, and forgets what it keeps of that area
    when it moved (motcua.core.process_cache)."""

    area = models.CharField(max_length=40, primary_key=True)
    generation = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.area} #{self.generation}"
