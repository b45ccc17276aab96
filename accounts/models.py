"""The tenant and its people: a practice, who belongs to it, and in which role.

Every other table belongs to a practice; every read takes it (the selectors), so no query can wander
into another tenant's data. The database itself refuses impossible settings.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

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
    catalog_version = models.PositiveIntegerField(
        default=0,
        help_text="Counts the catalog's changes: the cached analyses of funnels are keyed by it, since an offer's "
        "new name or words change findings without moving any funnel's version.",
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


class Invitation(models.Model):
    """An owner's invitation for someone, by email, to join the practice in a role.

    The link it is sent as is signed (``accounts.invitations``) and carries ``nonce``: sending it again draws a
    new nonce, so only the latest link works. It is used once (``accepted_at``) or withdrawn (``revoked_at``).
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="invitation_known_role"),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="invitation_expires_later"),
        ]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()} of {self.practice}"


class AuditAction(models.TextChoices):
    """What the audit trail records, in the words its page shows."""

    MEMBER_INVITED = "member.invited", "invited"
    INVITATION_RESENT = "member.invitation_resent", "sent the invitation again to"
    INVITATION_REVOKED = "member.invitation_revoked", "withdrew the invitation of"
    MEMBER_JOINED = "member.joined", "joined"
    ROLE_CHANGED = "member.role_changed", "changed the role of"
    MEMBER_REMOVED = "member.removed", "removed"
    SIGN_IN_FAILED = "sign_in.failed", "failed to sign in as"
    SIGN_IN_LOCKED = "sign_in.locked", "was locked out of signing in as"
    OFFER_CREATED = "offer.created", "added the offer"
    OFFER_UPDATED = "offer.updated", "changed the offer"
    OFFER_ARCHIVED = "offer.archived", "archived the offer"
    OFFER_DELETED = "offer.deleted", "deleted the offer"
    FUNNEL_IMPORTED = "funnel.imported", "imported the funnel"
    FUNNEL_DELETED = "funnel.deleted", "deleted the funnel"
    PRACTICE_CREATED = "practice.created", "created the practice"
    FUNNEL_REPLACED = "funnel.replaced", "replaced the funnel"
    API_TOKEN_CREATED = "api_token.created", "created the API token"
    API_TOKEN_REVOKED = "api_token.revoked", "revoked the API token"


class AuditEvent(models.Model):
    """One thing someone did in a practice, kept for its owners to read: who, what, to what, when, from where.

    ``actor_label`` keeps the name (or "command line") even after the user is deleted; ``detail`` holds what
    changed (the role before and after, the fields of an offer that changed, the offers an import added).
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="audit_events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    target = models.CharField(max_length=254, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["practice", "-at"], name="audit_practice_recent")]
        constraints = [models.CheckConstraint(condition=Q(action__in=AuditAction.values), name="audit_known_action")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target}"
