"""The search index: one row per searchable record, whatever module holds it.

A module describes its record as a `services.Doc` and its services keep the row current (`put` on every
save, `drop` on deletion). The row carries what a result shows (title, context, text for the snippet,
address) and what the policy needs to scope it: the permission the record's own pages ask for and the
path of the unit it belongs to, plus, in `Reach`, the other units that may see it too (the units a
document was sent to for study, the lead unit of a programme task).

The token streams (`tokens.stream`) are matched by the database's own full-text index, made by the
migrations: on PostgreSQL a generated `tsvector` column with a GIN index, on SQLite an FTS5 table kept
in step by triggers. Nothing identifying a protected sender is ever put here.
"""

from django.db import models


class Entry(models.Model):
    kind = models.CharField(max_length=30)
    object_id = models.BigIntegerField()
    perm = models.CharField(max_length=40)
    unit_path = models.CharField(max_length=400)  # "" for records of no unit (need a grant at a root)
    title = models.CharField(max_length=500)
    context = models.CharField(max_length=300, blank=True, default="")
    text = models.TextField(blank=True, default="")  # the start of the record's text, for the snippet
    url = models.CharField(max_length=300)
    title_tokens = models.TextField(blank=True, default="")
    body_tokens = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("kind", "object_id"), name="search_entry_once")]
        indexes = [models.Index(fields=("perm", "unit_path"), name="search_entry_scope")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"


class Reach(models.Model):
    """Another unit whose users may find the entry (with the entry's permission held there)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reach")
    path = models.CharField(max_length=400)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("entry", "path"), name="search_reach_once")]
        indexes = [models.Index(fields=("path",), name="search_reach_path")]

    def __str__(self) -> str:
        return f"{self.entry_id} @ {self.path}"
