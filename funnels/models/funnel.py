"""Funnels as rows. The graph lives in ``FunnelStep`` edges; the maths lives in ``funnels.domain``.

``Funnel.version`` rises by one with every edit; services compare it before writing so an edit made
against an old copy (another tab, another person) is refused instead of silently overwriting.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from accounts.models import Practice
from core.slugs import KEY_REGEX
from funnels.domain.plan import Slot, Stage
from offers.models import Offer

RESERVED_SLUGS = frozenset({"new", "import", "trash"})
"""Addresses under /funnels/ that are pages of their own (/funnels/new/, /funnels/import/, /funnels/trash/), so
no funnel may take them."""


class FunnelStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    LIVE = "live", "Live"
    ARCHIVED = "archived", "Archived"


class Funnel(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="funnels")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=64)
    currency = models.CharField(max_length=3)
    core_offer = models.ForeignKey(Offer, on_delete=models.RESTRICT, related_name="core_of_funnels")
    start_step = models.ForeignKey(
        "FunnelStep",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The first one-click offer after payment; empty means straight to the thank-you page.",
    )
    status = models.CharField(max_length=10, choices=FunnelStatus.choices, default=FunnelStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the funnel was moved to the trash; empty while it is in use."
    )

    class Meta:
        ordering = ["name", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "slug"], name="funnel_slug_unique_in_practice"),
            models.CheckConstraint(condition=Q(slug__regex=KEY_REGEX), name="funnel_slug_format"),
            models.CheckConstraint(condition=Q(status__in=FunnelStatus.values), name="funnel_known_status"),
            models.CheckConstraint(condition=Q(version__gte=1), name="funnel_version_positive"),
        ]

    def __str__(self) -> str:
        return self.name


STAGE_CHOICES = [(s.value, s.label) for s in Stage]
SLOT_CHOICES = [(s.value, s.value.replace("_", " ")) for s in Slot]
VALID_STAGE_SLOTS = (
    Q(stage=Stage.CHECKOUT, slot=Slot.BUMP)
    | Q(stage=Stage.CHECKOUT, slot=Slot.CROSS_SELL)
    | Q(stage=Stage.POST_PURCHASE, slot=Slot.ONE_CLICK)
    | Q(stage=Stage.THANK_YOU, slot=Slot.CROSS_SELL)
)


class FunnelStep(models.Model):
    """An offer placed in a funnel: a checkout bump or cross-sell, a one-click step, a thank-you cross-sell.

    Only one-click steps have edges; an empty edge leads to the thank-you page. ``take_rate`` empty means
    the offer's own default, else its kind's typical default.
    """

    funnel = models.ForeignKey(Funnel, on_delete=models.CASCADE, related_name="steps")
    key = models.CharField(max_length=64)
    stage = models.CharField(max_length=20, choices=STAGE_CHOICES)
    slot = models.CharField(max_length=20, choices=SLOT_CHOICES)
    offer = models.ForeignKey(Offer, on_delete=models.RESTRICT, related_name="funnel_steps")
    take_rate = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    on_accept = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    on_decline = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["funnel", "stage", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["funnel", "stage", "key"], name="step_key_unique_in_stage"),
            models.CheckConstraint(condition=Q(key__regex=KEY_REGEX), name="step_key_format"),
            models.CheckConstraint(condition=VALID_STAGE_SLOTS, name="step_slot_fits_stage"),
            models.CheckConstraint(
                condition=Q(take_rate__isnull=True) | Q(take_rate__gte=0, take_rate__lte=1),
                name="step_take_rate_0_1",
            ),
            models.CheckConstraint(
                condition=Q(stage=Stage.POST_PURCHASE) | Q(on_accept__isnull=True, on_decline__isnull=True),
                name="step_edges_only_after_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.stage})"
