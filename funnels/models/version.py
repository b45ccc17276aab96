"""Every accepted edit of a funnel, kept: the funnel as it stood after the edit, who made it, and its figures.

A version's ``snapshot`` is the funnel in the interchange format (the very text its export writes), compressed:
restoring, comparing or exporting an old version reads it back through the same reader an import uses, so an old
version can never mean something the format cannot say. The AOV and the finding counts are worked out once,
when the version is written, so the history page and its chart read them without rebuilding any funnel.

``number`` is the funnel's ``version`` after the edit. Consecutive edits of one field by one person within a
short window are folded into one row (``fold_key``), so numbers may skip; they never repeat.
``kind`` and ``state_of`` / ``undid`` let undo and redo walk back through the history without a stack kept
anywhere else: an undo or redo row reproduces the state of version ``state_of`` and took back (or brought back)
the edit of version ``undid``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from funnels.models.funnel import Funnel


class VersionKind(models.TextChoices):
    EDIT = "edit", "Edit"
    UNDO = "undo", "Undo"
    REDO = "redo", "Redo"
    RESTORE = "restore", "Restore"


class FunnelVersion(models.Model):
    funnel = models.ForeignKey(Funnel, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=VersionKind.choices, default=VersionKind.EDIT)
    snapshot = models.BinaryField(help_text="The interchange JSON of the funnel after this edit, zlib-compressed.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    summary = models.CharField(max_length=500)
    aov = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    revenue_per_buyer = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    fold_key = models.CharField(max_length=200, blank=True)
    state_of = models.PositiveIntegerField(null=True, blank=True)
    undid = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["funnel", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["funnel", "number"], name="version_number_unique_in_funnel"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
            models.CheckConstraint(condition=Q(kind__in=VersionKind.values), name="version_known_kind"),
            models.CheckConstraint(condition=~Q(summary=""), name="version_has_summary"),
            models.CheckConstraint(
                condition=Q(state_of__isnull=True) | Q(state_of__lt=F("number")), name="version_state_of_earlier"
            ),
            models.CheckConstraint(
                condition=Q(undid__isnull=True) | Q(undid__lt=F("number")), name="version_undid_earlier"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[VersionKind.UNDO, VersionKind.REDO])
                | Q(state_of__isnull=True, undid__isnull=True),
                name="version_only_undo_redo_point_back",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funnel_id} v{self.number}: {self.summary}"
