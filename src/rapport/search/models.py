"""The search index table: one row per indexed record, written only by `search.services`.

The full-text index over `tokens` and `chars` lives beside it and is created by migration 0002:
an FTS5 table kept in step by triggers on SQLite, GIN expression indexes on PostgreSQL.
"""

from django.db import models


class SearchEntry(models.Model):
    """What a search shows of a record and what it is found by; `tokens` is already tokenized."""

    type = models.CharField(max_length=30)  # a registered search type, e.g. "account"
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=300)
    subtitle = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=500)
    # Who may find the record: the people and teams at the end of its access module's owner and team
    # paths, as tokens of the full-text index ("zcontacto12": owner 12, "zcontactt3": team 3), so a
    # scope is part of the index query however many paths a type has.
    holders = models.TextField(blank=True, default="")
    tokens = models.TextField()
    chars = models.TextField(blank=True)  # single CJK characters, for one-character queries
    updated_at = models.DateTimeField()  # the record's, to rank recent records first among equals

    class Meta:
        constraints = [models.UniqueConstraint(fields=["type", "object_id"], name="search_entry_record")]

    def __str__(self) -> str:
        return f"{self.type} #{self.object_id}: {self.title}"
