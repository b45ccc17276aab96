"""What every app's forms share: no field accepts a control character (``core.text``).

Django's ``CharField`` already refuses NUL, but not the other control characters, and a choice field that
looks its value up in the database (``ModelChoiceField``) would send a NUL to PostgreSQL before any validator
ran. The guard looks at every field's raw value before the field cleans it, so the refusal is a field error
whatever the field's type, and no query ever carries the character.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from core.text import control_character_in, control_character_message


def _refusal(message: str) -> Any:
    def clean(*args: object) -> object:
        raise ValidationError(message, code="control_character")

    return clean


class ControlCharacterGuard(forms.BaseForm):
    """A form mixin (put it first among the bases): a field whose raw value holds a control character is
    refused with a field error instead of being cleaned."""

    def full_clean(self) -> None:
        if self.is_bound:
            for name, field in self.fields.items():
                if isinstance(field, forms.FileField):
                    continue  # an upload's bytes are the file's own business (funnel files check their text)
                found = control_character_in(self[name].data)
                if found:
                    # the form's fields are its own copies (BaseForm deep-copies them), so this touches no other form
                    field.clean = _refusal(control_character_message(found))  # type: ignore[method-assign]
        super().full_clean()
