"""The import page's forms: the file chosen, then the confirmation that carries it back, checked again in full."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from core.forms import ControlCharacterGuard
from core.slugs import SLUG_MAX, SLUG_PATTERN
from funnels.interchange.limits import MAX_FILE_BYTES
from funnels.models import RESERVED_SLUGS

FILE_NAME_MAX = 120
TOO_BIG = f"The file is larger than {MAX_FILE_BYTES // 1_000_000} MB, the most a funnel file may be."


def clean_slug(value: str) -> str:
    slug = value.strip()
    if not slug:
        return ""
    if len(slug) > SLUG_MAX or not SLUG_PATTERN.fullmatch(slug):
        raise forms.ValidationError(
            f"Use 1-{SLUG_MAX} lower-case letters, digits and single hyphens, such as calm-spring-launch."
        )
    if slug in RESERVED_SLUGS:
        raise forms.ValidationError(f'"{slug}" is the address of one of the app\'s pages; choose another.')
    return slug


class UploadForm(ControlCharacterGuard, forms.Form):
    file = forms.FileField(
        label="Funnel file",
        help_text="An Offer Architect funnel file (.json) of at most 1 MB, such as one exported from a funnel.",
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
        error_messages={"required": "Choose a funnel file (.json) to import.", "empty": "The file is empty."},
    )
    slug = forms.CharField(
        required=False,
        max_length=200,
        label="Address (optional)",
        help_text="The funnel's address: /funnels/<address>/. Left empty, it is made from the funnel's name.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "import-%s")
        super().__init__(*args, **kwargs)

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_FILE_BYTES:  # before reading a byte of it
            raise forms.ValidationError(TOO_BIG, code="too_big")
        return upload

    def clean_slug(self) -> str:
        return clean_slug(self.cleaned_data["slug"])


class ConfirmForm(ControlCharacterGuard, forms.Form):
    """The second post. ``document`` is whatever the browser sent back: it is checked again in full."""

    document = forms.CharField(
        strip=False, error_messages={"required": "The confirmation did not carry the file; choose it again."}
    )
    slug = forms.CharField(required=False, max_length=200)
    file_name = forms.CharField(required=False, max_length=1000)

    def clean_document(self) -> str:
        # a form post sends line breaks as CRLF; JSON allows raw line breaks only between values
        return str(self.cleaned_data["document"]).replace("\r\n", "\n")

    def clean_slug(self) -> str:
        return clean_slug(self.cleaned_data["slug"])

    def clean_file_name(self) -> str:
        return shown_file_name(self.cleaned_data["file_name"])


def shown_file_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    return name if len(name) <= FILE_NAME_MAX else name[: FILE_NAME_MAX - 1] + "…"
