"""The API's own tables: the tokens a practice's owners hand to scripts, and the responses kept for a retried
create.

A token's secret is shown once and never stored: only its SHA-256 digest is (a secret of 256 random bits needs no
slow hash; nobody can guess their way back from the digest). ``prefix`` keeps the secret's first characters so an
owner can tell which token a script holds without the page ever showing the secret again.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Practice


class TokenScope(models.TextChoices):
    READ = "read", "Read: list, read, check and forecast"
    WRITE = "write", "Write: also change the catalog and funnels"


class ApiToken(models.Model):
    """A practice's key for scripts: it acts as that practice and nothing else, within its scope."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    prefix = models.CharField(max_length=16, help_text="The secret's first characters, to recognise it by.")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the secret, in hexadecimal.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: the token works until revoked.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=TokenScope.values), name="api_token_known_scope"),
            models.CheckConstraint(condition=Q(digest__regex=r"^[0-9a-f]{64}$"), name="api_token_digest_hex"),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_later",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="api_token_has_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.scope}) of {self.practice_id}"

    def is_active(self, now: datetime | None = None) -> bool:
        moment = now if now is not None else timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE


class IdempotentResponse(models.Model):
    """The answer to a create sent with an ``Idempotency-Key``: a retry with the same key, from the same token,
    for the same request, gets this answer again instead of making a second funnel or offer.

    ``fingerprint`` is the SHA-256 of the method, path and body, so a key reused for a different request is
    refused rather than answered with the wrong thing.
    """

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="idempotent_responses")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotency_key_once_per_token"),
        ]
        indexes = [models.Index(fields=["token", "created_at"], name="idempotency_token_age")]

    def __str__(self) -> str:
        return f"{self.key} → {self.status}"
