"""Form fields every app's forms share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from core.money import PercentError, parse_percent


class PercentField(forms.CharField):
    """A take rate typed as a percentage ("20", "12.5%"); cleans to the exact rate (0.2, 0.125) or None."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Decimal | None:  # a rate, not the text
        text = super().clean(value)
        try:
            return parse_percent(text)
        except PercentError as wrong:
            raise forms.ValidationError(str(wrong), code=wrong.code) from None
