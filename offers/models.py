"""The practice's catalog. The database itself refuses what the domain calls impossible.

Every offer belongs to a practice (the tenant); reads go through ``offers.selectors``, which take it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Practice
from core.money import CURRENCY_REGEX, MONEY_MAX
from core.slugs import KEY_REGEX
from offers.domain.copy import COPY_CODES
from offers.domain.kinds import DEFAULT_ACCEPT_LABEL, DEFAULT_DECLINE_LABEL, OfferKind


class OfferStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


class Offer(models.Model):
    """One thing the practice sells, with the copy the buyer reads on its screen."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="offers")
    key = models.CharField(max_length=64, help_text="Lower-case letters, digits and hyphens; unique in the practice.")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=[(k.value, k.label) for k in OfferKind])
    price = models.DecimalField(max_digits=9, decimal_places=2)
    currency = models.CharField(max_length=3)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="upgrades",
        help_text="The offer this one upgrades: buying it adds only the difference in price.",
    )
    topics = models.JSONField(default=list, blank=True)
    format = models.CharField(max_length=40, blank=True)
    headline = models.CharField(max_length=300, blank=True)
    body = models.TextField(max_length=5000, blank=True)
    accept_label = models.CharField(max_length=100, default=DEFAULT_ACCEPT_LABEL)
    decline_label = models.CharField(max_length=100, default=DEFAULT_DECLINE_LABEL, blank=True)
    default_take_rate = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "key"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "key"], name="offer_key_unique_in_practice"),
            models.CheckConstraint(condition=Q(key__regex=KEY_REGEX), name="offer_key_format"),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in OfferKind]), name="offer_known_kind"),
            models.CheckConstraint(condition=Q(price__gte=0, price__lte=MONEY_MAX), name="offer_price_in_range"),
            models.CheckConstraint(condition=Q(currency__regex=CURRENCY_REGEX), name="offer_currency_code"),
            models.CheckConstraint(
                condition=Q(default_take_rate__isnull=True) | Q(default_take_rate__gte=0, default_take_rate__lte=1),
                name="offer_take_rate_0_1",
            ),
            models.CheckConstraint(condition=Q(status__in=OfferStatus.values), name="offer_known_status"),
            models.CheckConstraint(condition=~Q(replaces=models.F("pk")), name="offer_not_replacing_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"


ACKNOWLEDGEMENT_REASON_MAX = 300


class CopyAcknowledgement(models.Model):
    """A coach's word that one copy finding (``code``) on this offer was reviewed, and why.

    It holds for the copy it was made on (``fingerprint``, see ``offers.domain.copy.fingerprint``): when the
    offer's words change, the finding is open again. One per offer and code; a new one replaces the old.
    """

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="copy_acknowledgements")
    code = models.CharField(max_length=40, choices=[(code, code) for code in COPY_CODES])
    reason = models.CharField(max_length=ACKNOWLEDGEMENT_REASON_MAX)
    fingerprint = models.CharField(max_length=64)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField()

    class Meta:
        ordering = ["offer", "code"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "code"], name="copy_ack_one_per_offer_and_code"),
            models.CheckConstraint(condition=Q(code__in=COPY_CODES), name="copy_ack_known_code"),
            models.CheckConstraint(condition=~Q(reason=""), name="copy_ack_has_reason"),
            models.CheckConstraint(condition=Q(fingerprint__regex=r"^[0-9a-f]{64}$"), name="copy_ack_fingerprint"),
        ]

    def __str__(self) -> str:
        return f"{self.code} on {self.offer_id}: {self.reason}"
