from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.utils.text import slugify

from core.money import CURRENCY_PATTERN


class SignUpForm(UserCreationForm[User]):
    """A new user and the practice they will own, in one step."""

    practice_name = forms.CharField(
        max_length=200, label="Your practice's name", help_text="For example: Calm Coaching."
    )
    currency = forms.CharField(
        max_length=3, initial="USD", help_text="The three-letter code of the currency you sell in, such as USD or EUR."
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def clean_currency(self) -> str:
        code = str(self.cleaned_data["currency"]).strip().upper()
        if not CURRENCY_PATTERN.match(code):
            raise forms.ValidationError("Use a three-letter code such as USD, EUR or GBP.")
        return code

    def clean_practice_name(self) -> str:
        name = str(self.cleaned_data["practice_name"]).strip()
        if not slugify(name):
            raise forms.ValidationError("Use at least one letter or digit.")
        return name


class NewPracticeForm(forms.Form):
    name = forms.CharField(max_length=200, label="Practice name")
    currency = forms.CharField(max_length=3, initial="USD")

    def clean_currency(self) -> str:
        code = str(self.cleaned_data["currency"]).strip().upper()
        if not CURRENCY_PATTERN.match(code):
            raise forms.ValidationError("Use a three-letter code such as USD, EUR or GBP.")
        return code
