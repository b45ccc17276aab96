"""What the reality check keeps: each practice's remembered column mappings, and each upload of an orders file.

An upload holds its file only until the background task has read it (then the file is deleted: it may carry
email addresses), its progress while it runs, and afterwards either every problem found (nothing else is kept) or
the counts the figures are made of. The figures themselves are worked out again on each visit to the page from
those counts and the funnel as it is then, so a rate the coach has since adopted shows as the new assumption.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Practice
from funnels.models.funnel import Funnel

SOURCE_CHOICES = [
    ("offer-architect/orders@1", "Orders file (offer-architect/orders@1)"),
    ("stripe", "Stripe payments export"),
    ("woocommerce", "WooCommerce orders export"),
]
MAX_WINDOW_MINUTES = 7 * 24 * 60


class OrdersMapping(models.Model):
    """How one practice's exports of one kind map onto the orders format: columns and product names."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="orders_mappings")
    source = models.CharField(max_length=40, choices=SOURCE_CHOICES)
    columns = models.JSONField(default=dict, help_text="field -> the export's column name")
    products = models.JSONField(default=dict, help_text='product name -> offer key ("" = not an offer)')
    naive_offset_minutes = models.IntegerField(
        null=True, blank=True, help_text="the offset of times written without one; empty: an offset is required"
    )
    month_first = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "source"], name="orders_mapping_one_per_source"),
            models.CheckConstraint(
                condition=Q(naive_offset_minutes__isnull=True)
                | Q(naive_offset_minutes__gt=-1440, naive_offset_minutes__lt=1440),
                name="orders_mapping_offset_within_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice_id}: {self.source}"


class UploadStatus(models.TextChoices):
    MAPPING = "mapping", "Waiting for its columns to be mapped"
    QUEUED = "queued", "Waiting to be read"
    READING = "reading", "Being read"
    DONE = "done", "Read"
    REFUSED = "refused", "Refused: the file has problems"
    FAILED = "failed", "Could not be read"


class OrdersUpload(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="orders_uploads")
    funnel = models.ForeignKey(Funnel, on_delete=models.CASCADE, related_name="orders_uploads")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=40, choices=SOURCE_CHOICES)
    window_minutes = models.PositiveIntegerField(default=60)
    file_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500, blank=True, help_text="emptied once the file is read")
    size = models.PositiveBigIntegerField(default=0)
    header = models.JSONField(default=list)
    sample_products = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=UploadStatus.choices, default=UploadStatus.MAPPING)
    rows_read = models.PositiveBigIntegerField(default=0)
    bytes_read = models.PositiveBigIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    problems = models.JSONField(default=list, help_text="[row, column, message] for the first problems")
    problem_count = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True, help_text="the counts the figures are made of")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=UploadStatus.values), name="orders_upload_known_status"),
            models.CheckConstraint(
                condition=Q(window_minutes__lte=MAX_WINDOW_MINUTES), name="orders_upload_window_at_most_a_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in (UploadStatus.QUEUED, UploadStatus.READING)

    @property
    def percent(self) -> int:
        if self.status == UploadStatus.DONE:
            return 100
        return min(99, int(self.bytes_read * 100 / self.size)) if self.size else 0
