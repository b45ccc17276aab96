"""What an owner types to make a token: a name, a scope and how long it should work."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from api.models import TokenScope
from api.services.tokens import NAME_MAX
from core.forms import ControlCharacterGuard

EXPIRY_CHOICES = [
    ("30", "30 days"),
    ("90", "90 days"),
    ("365", "a year"),
    ("7", "7 days"),
    ("never", "never (until revoked)"),
]


class TokenForm(ControlCharacterGuard, forms.Form):
    name = forms.CharField(
        max_length=NAME_MAX,
        help_text="Say what will use it, e.g. “nightly funnel check”: the audit trail names the token.",
    )
    scope = forms.ChoiceField(choices=TokenScope.choices, initial=TokenScope.READ, widget=forms.RadioSelect)
    expires = forms.ChoiceField(choices=EXPIRY_CHOICES, initial="90", label="Works for")

    def expires_at(self) -> datetime | None:
        chosen = self.cleaned_data["expires"]
        return None if chosen == "never" else timezone.now() + timedelta(days=int(chosen))
