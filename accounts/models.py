"""The tenant and its people: a practice, who belongs to it, and in which role.

Every other table belongs to a practice; every read takes it (the selectors), so no query can wander
into another tenant's data. The database itself refuses impossible settings.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.money import CURRENCY_REGEX


class Practice(models.Model):
    """A coaching or therapy practice: the tenant, with its own thresholds for the fit checks."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=64, unique=True)
    currency = models.CharField(max_length=3, default="USD")
    price_jump_ratio = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal("5"),
        help_text="Warn when an offer costs more than this many times the last thing bought before it.",
    )
    bump_max_share = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.5"),
        help_text="Warn when an order bump costs more than this share of the core offer (0.5 = 50%).",
    )
    max_one_click_offers = models.PositiveSmallIntegerField(
        default=3, help_text="Warn when one path shows more one-click offers than this."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(currency__regex=CURRENCY_REGEX), name="practice_currency_code"),
            models.CheckConstraint(condition=Q(price_jump_ratio__gt=1), name="practice_price_jump_ratio_above_1"),
            models.CheckConstraint(
                condition=Q(bump_max_share__gt=0, bump_max_share__lte=1), name="practice_bump_share_0_1"
            ),
            models.CheckConstraint(condition=Q(max_one_click_offers__gte=1), name="practice_max_offers_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    COACH = "coach", "Coach"
    CATALOG_ADMIN = "catalog_admin", "Catalog admin"
    VIEWER = "viewer", "Viewer"


class Membership(models.Model):
    """A user's place in a practice: owners do all, coaches edit funnels, catalog admins the catalog."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "practice"], name="membership_once_per_practice"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_known_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.practice}"
